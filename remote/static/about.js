// "This station": the station's clock keeps ticking on the page, counted from the time the
// page was made (the station's wall clock, already in its zone), without asking it again.
(function () {
  const clock = document.getElementById("clock");
  if (!clock) return;
  const start = Date.parse(clock.textContent.trim().replace(" ", "T") + "Z");
  if (Number.isNaN(start)) return;
  const loaded = performance.now();
  setInterval(function () {
    const now = new Date(start + performance.now() - loaded);
    clock.textContent = now.toISOString().slice(0, 19).replace("T", " ");
  }, 1000);
})();
