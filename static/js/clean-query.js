// The point list's filter form submits only the fields in use: no ?q=&meridian=&... in the
// address a reader shares. Without JavaScript the server redirects to the same clean URL.
for (const form of document.querySelectorAll("form[data-clean-query]")) {
  form.addEventListener("formdata", (event) => {
    for (const name of new Set(event.formData.keys())) {
      const values = event.formData.getAll(name).filter((value) => String(value).trim() !== "");
      event.formData.delete(name);
      for (const value of values) event.formData.append(name, value);
    }
  });
}
