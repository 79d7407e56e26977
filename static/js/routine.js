// Guided mode for a routine page: one step at a time, with a countdown.
//
// The server renders the whole routine as a list that works without this
// script; each step carries its timing in data attributes (data-seconds per
// side, data-sides, data-repeats), so nothing here knows about the content.
// Nothing is sent anywhere and nothing is stored: progress lives in this page.

const SIDE_NAMES = { left: "Left side", right: "Right side", midline: "Middle of the body" };
const TICK_MS = 200;

const root = document.querySelector("[data-routine]");
if (root) setUp(root);

function buildPhases(stepElements) {
  // One phase per side per round: a bilateral step held twice is left, right, left, right.
  const phases = [];
  stepElements.forEach((element, step) => {
    const seconds = Math.max(1, Number.parseInt(element.dataset.seconds, 10) || 0);
    const sides = (element.dataset.sides || "midline").split(" ").filter(Boolean);
    const rounds = Math.max(1, Number.parseInt(element.dataset.repeats, 10) || 1);
    for (let round = 0; round < rounds; round += 1) {
      for (const side of sides) {
        phases.push({ step, side, seconds, round, rounds, bilateral: sides.length > 1 });
      }
    }
  });
  return phases;
}

function formatTime(milliseconds) {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, "0")}`;
}

function setUp(page) {
  const startPanel = page.querySelector("[data-start-panel]");
  const player = page.querySelector("[data-player]");
  const finish = page.querySelector("[data-finish]");
  const stepElements = [...page.querySelectorAll("[data-step]")];
  if (!startPanel || !player || !finish || stepElements.length === 0) return;

  const phases = buildPhases(stepElements);
  const find = (selector) => page.querySelector(selector);
  const view = {
    heading: find("[data-player-heading]"),
    progress: find("[data-progress]"),
    side: find("[data-side]"),
    countdown: find("[data-countdown]"),
    bar: find("[data-bar]"),
    cue: find("[data-cue]"),
    live: find("[data-live]"),
    pause: find('[data-action="pause"]'),
    start: find('[data-action="start"]'),
    finishHeading: finish.querySelector("h2"),
  };
  const options = { sound: find('[data-option="sound"]'), vibrate: find('[data-option="vibrate"]') };

  const state = { active: false, running: false, index: 0, remaining: 0, last: 0, timer: null, wakeLock: null };
  let audio = null;

  startPanel.hidden = false;

  function announce(text) {
    // Cleared first so that the same words twice in a row are still read out.
    view.live.textContent = "";
    window.setTimeout(() => {
      view.live.textContent = text;
    }, 50);
  }

  function signal() {
    if (options.sound?.checked) {
      try {
        audio = audio || new AudioContext();
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.frequency.value = 660;
        volume.gain.setValueAtTime(0.08, audio.currentTime);
        volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.4);
        tone.connect(volume).connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.4);
      } catch {
        // No sound on this device: the screen and the live region still say what changed.
      }
    }
    if (options.vibrate?.checked && "vibrate" in navigator) navigator.vibrate(150);
  }

  async function keepAwake() {
    if (!("wakeLock" in navigator) || state.wakeLock) return;
    try {
      state.wakeLock = await navigator.wakeLock.request("screen");
      state.wakeLock.addEventListener("release", () => {
        state.wakeLock = null;
      });
    } catch {
      // Refused (battery saver, hidden tab): the routine works the same, the screen may dim.
    }
  }

  function letSleep() {
    state.wakeLock?.release().catch(() => {});
    state.wakeLock = null;
  }

  function stepLabel(phase) {
    const element = stepElements[phase.step];
    let label = `Step ${phase.step + 1} of ${stepElements.length}`;
    if (phase.rounds > 1) label += `, round ${phase.round + 1} of ${phase.rounds}`;
    return { label, point: element.dataset.point };
  }

  function render() {
    view.countdown.textContent = formatTime(state.remaining);
    if (view.bar) {
      const phase = phases[state.index];
      view.bar.max = phase.seconds * 1000;
      view.bar.value = phase.seconds * 1000 - state.remaining;
    }
  }

  function show(index, { switched = false } = {}) {
    if (index >= phases.length) {
      finishRoutine();
      return;
    }
    const previous = phases[state.index];
    state.index = Math.max(0, index);
    const phase = phases[state.index];
    state.remaining = phase.seconds * 1000;
    state.last = performance.now();
    restartClock();
    stepElements.forEach((element, number) => {
      element.classList.toggle("is-current", number === phase.step);
    });
    const { label, point } = stepLabel(phase);
    const side = SIDE_NAMES[phase.side] + (phase.bilateral ? "" : phase.side === "midline" ? "" : " only");
    view.progress.textContent = `${label}: ${point}`;
    view.side.textContent = side;
    const isSwitch = switched && previous && previous.step === phase.step && previous.side !== phase.side;
    view.cue.hidden = !isSwitch;
    view.cue.textContent = isSwitch ? `Switch sides: now the ${phase.side} side` : "";
    render();
    const seconds = `${phase.seconds} seconds`;
    announce(
      isSwitch
        ? `Switch sides. ${side}, ${seconds}.`
        : `${label}: ${point}. ${side}, ${seconds}.${state.running ? "" : " Paused."}`,
    );
    signal();
  }

  function tick() {
    if (!state.running) return;
    const now = performance.now();
    state.remaining -= now - state.last;
    state.last = now;
    if (state.remaining <= 0) {
      show(state.index + 1, { switched: true });
    } else {
      render();
    }
  }

  function restartClock() {
    // Ticks start again from each change, so every phase counts whole seconds from its start.
    window.clearInterval(state.timer);
    state.timer = state.running ? window.setInterval(tick, TICK_MS) : null;
  }

  function setRunning(running) {
    if (state.running && !running) {
      // Count the time since the last tick, so a pause keeps exactly what was left.
      state.remaining -= performance.now() - state.last;
      render();
    }
    state.running = running;
    state.last = performance.now();
    restartClock();
    view.pause.textContent = running ? "Pause" : "Resume";
    view.pause.setAttribute("aria-pressed", String(!running));
    page.classList.toggle("is-paused", !running);
    if (running) keepAwake();
    else letSleep();
  }

  function togglePause() {
    setRunning(!state.running);
    announce(state.running ? "Resumed." : "Paused.");
  }

  function firstPhaseOf(step) {
    return phases.findIndex((phase) => phase.step === step);
  }

  function skip() {
    const next = firstPhaseOf(phases[state.index].step + 1);
    show(next === -1 ? phases.length : next);
  }

  function back() {
    show(firstPhaseOf(Math.max(0, phases[state.index].step - 1)));
  }

  function start() {
    state.active = true;
    page.classList.remove("is-finished");
    page.classList.add("is-guided");
    startPanel.hidden = true;
    finish.hidden = true;
    player.hidden = false;
    state.index = 0;
    setRunning(true);
    show(0);
    view.heading.focus({ preventScroll: true });
    // An instant jump: the page above the player has just been hidden, and a smooth scroll would chase it.
    player.scrollIntoView({ block: "start" });
  }

  function leave() {
    state.active = false;
    setRunning(false);
    page.classList.remove("is-guided", "is-paused", "is-finished");
    stepElements.forEach((element) => {
      element.classList.remove("is-current");
    });
    player.hidden = true;
  }

  function stop() {
    leave();
    finish.hidden = true;
    startPanel.hidden = false;
    announce("Guided routine stopped. Every step is listed below.");
    view.start.focus();
  }

  function finishRoutine() {
    leave();
    page.classList.add("is-finished");
    finish.hidden = false;
    signal();
    announce("Finished: that is the whole routine.");
    view.finishHeading.focus({ preventScroll: true });
    finish.scrollIntoView({ block: "start" });
  }

  const actions = { start, pause: togglePause, skip, back, stop, restart: start };
  page.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action]) actions[button.dataset.action]();
  });

  document.addEventListener("keydown", (event) => {
    if (!state.active || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const typing = target.closest?.("input, select, textarea");
    if (event.key === " " || event.key === "Spacebar") {
      // On a button or link, space already presses it.
      if (typing || target.closest?.("button, a, summary")) return;
      event.preventDefault();
      togglePause();
    } else if (event.key === "ArrowRight" && !typing) {
      event.preventDefault();
      skip();
    } else if (event.key === "ArrowLeft" && !typing) {
      event.preventDefault();
      back();
    }
  });

  document.addEventListener("visibilitychange", () => {
    // Browsers drop the wake lock when the page is hidden; take it again on return.
    if (document.visibilityState === "visible" && state.active && state.running) keepAwake();
  });
}
