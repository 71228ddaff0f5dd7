// The station page: "Test stream" opens the stream through the API and says what it found,
// in place, so the typed password stays in its field (without JavaScript the button posts
// the form and the page says it instead). Text from the station goes in as text, never HTML.
(function () {
  "use strict";
  var button = document.getElementById("test-stream");
  var result = document.getElementById("stream-test");
  var meta = document.querySelector("meta[name=csrf-token]");
  if (!button || !result || !meta || !window.fetch) {
    return;
  }
  button.addEventListener("click", function (event) {
    var form = button.form;
    event.preventDefault();
    var body = { url: form.elements.url.value };
    if (form.elements.password.value) {
      body.password = form.elements.password.value;
    }
    result.classList.remove("error");
    result.textContent = "Testing the stream (up to 10 s)…";
    button.disabled = true;
    fetch("/api/v1/network-cameras/test", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": meta.content },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.status === 401 && data.error === "reauth_required") {
          form.action = button.formAction;  // the page asks for the password
          form.submit();
          return;
        }
        var ok = response.ok && data.ok;
        result.textContent = (ok ? "Stream works: " : "Stream failed: ") + data.message;
        result.classList.toggle("error", !ok);
      });
    }).catch(function () {
      result.textContent = "Stream failed: the station did not answer.";
      result.classList.add("error");
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
