// Browser-side size check for upload fields (applications/uploads.py UploadField).
// The server checks everything again; this only spares people a long upload that would be
// refused. The field carries data-max-bytes and the translated data-too-large-message.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  var limit = Number(input.dataset.maxBytes);
  var tooLarge = Array.prototype.some.call(input.files || [], function (file) {
    return file.size > limit;
  });
  input.setCustomValidity(tooLarge ? input.dataset.tooLargeMessage || "" : "");
  if (tooLarge) {
    input.reportValidity();
  }
});
