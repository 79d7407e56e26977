// PointAdmin: move the preview's dot as the editor types its coordinates.
// A static module because the Content-Security-Policy allows no inline script.
const preview = document.querySelector(".admin-figure-preview");
const inputX = document.getElementById("id_figure_x");
const inputY = document.getElementById("id_figure_y");

if (preview && inputX && inputY) {
  const [marker, mirror] = preview.querySelectorAll("circle.figure-marker");
  const move = () => {
    const x = Number.parseFloat(inputX.value);
    const y = Number.parseFloat(inputY.value);
    if (Number.isNaN(x) || Number.isNaN(y)) return;
    marker.setAttribute("cx", String(x));
    marker.setAttribute("cy", String(y));
    if (mirror) {
      mirror.setAttribute("cx", String(200 - x));
      mirror.setAttribute("cy", String(y));
    }
  };
  inputX.addEventListener("input", move);
  inputY.addEventListener("input", move);
}
