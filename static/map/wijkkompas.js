/* Wijkkompas fixes on top of Leaflet 1.9.4 (loaded after map-bundle.js).
 *
 * Leaflet focuses the map on mousedown (for keyboard panning) and then restores the scroll
 * position of the map's own window only. Inside the dashboard the map is an iframe, so the
 * focus scrolls the *page* when the map is partly out of view: the map moves between
 * mousedown and mouseup and the click lands on another area (or on nothing). Focusing
 * without scrolling keeps keyboard panning and makes clicks reliable.
 */
(function () {
  if (!window.L || !L.Map || !L.Map.Keyboard) { return; }
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (this._focused) { return; }
    this._map._container.focus({preventScroll: true});
  };
})();
