// The full view of a kept image: a horizontal swipe pages to the day's earlier or later
// image, a tap toggles between fitting the screen and full size (then pinch or scroll).
(function () {
  "use strict";
  const view = document.getElementById("full-view");
  if (!view) return;
  const image = document.getElementById("full-image");
  let start = null;
  view.addEventListener("pointerdown", (e) => { start = { x: e.clientX, y: e.clientY }; });
  view.addEventListener("pointerup", (e) => {
    if (!start) return;
    const dx = e.clientX - start.x, dy = e.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      const target = dx < 0 ? view.dataset.after : view.dataset.before;
      if (target) window.location.assign(target);
    } else if (Math.abs(dx) < 8 && Math.abs(dy) < 8) {
      view.classList.toggle("zoomed");
    }
  });
  image.draggable = false;
})();
