/* Scan a talent card's QR code with the device camera and look the card up (W12 at the counter).
 *
 * getUserMedia gives the camera; each video frame is drawn on a canvas and read by jsQR (vendored, see
 * vendor/README.md). The decoded text goes into the card field of the look-up form, which is submitted as
 * if typed: the server checks the code's signature. Served from 'self' (CSP script-src 'self').
 */
(function () {
  "use strict";

  function start(button) {
    var input = document.getElementById(button.dataset.scanInput);
    var form = document.getElementById(button.dataset.scanForm);
    var panel = document.getElementById("scanner");
    var video = document.getElementById("scan-video");
    var status = document.getElementById("scan-status");
    var stopButton = document.getElementById("scan-stop");
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var stream = null;
    var running = false;

    function say(text) { status.textContent = text; }

    function stop() {
      running = false;
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.srcObject = null;
      panel.hidden = true;
      button.hidden = false;
      button.focus();
    }

    function tick() {
      if (!running) { return; }
      if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var decode = window.jsQR.default || window.jsQR;
        var code = decode(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
        if (code && code.data) {
          input.value = code.data;
          say("已识别二维码，正在查找……");
          stop();
          form.requestSubmit ? form.requestSubmit() : form.submit();
          return;
        }
      }
      window.requestAnimationFrame(tick);
    }

    stopButton.onclick = function () { say("已停止扫码。"); stop(); };
    say("正在打开摄像头……");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        panel.hidden = false;
        button.hidden = true;
        running = true;
        say("请将人才卡二维码对准摄像头。");
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function (error) {
        stop();
        say("无法打开摄像头（" + (error && error.name ? error.name : "未知错误") + "），请直接输入卡号。");
      });
  }

  function init() {
    var button = document.getElementById("scan-start");
    if (!button || !window.jsQR) { return; }
    // Offered only where a camera can be asked for (a secure origin with mediaDevices).
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { start(button); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
