// Helpers for tests/test_browser.py to walk a reveal.js deck built by docs/build_slides.py.
// The deck loads reveal.js through require.js, so reveal is found among require's modules.
window.nnlibDeck = {
  reveal() {
    const defined = window.require && require.s.contexts._.defined;
    const key = defined && Object.keys(defined).find((k) => k.endsWith("dist/reveal.js"));
    return key ? defined[key] : null;
  },

  // Number of slides (leaf sections); transitions off so each slide is measured in place.
  start() {
    const Reveal = this.reveal();
    Reveal.configure({ transition: "none", backgroundTransition: "none" });
    return Reveal.getSlides().length;
  },

  // Go to slide i with all its fragments shown.
  show(i) {
    const Reveal = this.reveal();
    const slide = Reveal.getSlides()[i];
    const at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v, Number.MAX_SAFE_INTEGER);
    return { h: at.h, v: at.v };
  },

  // True once slide i is on screen, fitted (data-fit-scale) and every formula typeset: the
  // deck typesets a slide again when it is shown, so each formula's source (a math/tex
  // script) must have its rendered twin (.MathJax_CHTML) again.
  settled(i) {
    const slide = this.reveal().getSlides()[i];
    const formulas = slide.querySelectorAll('script[type^="math/tex"]').length;
    const rendered = slide.querySelectorAll(".MathJax_CHTML").length;
    const mathDone = !window.MathJax || !MathJax.Hub ||
      (MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running && rendered === formulas &&
       !slide.querySelector(".MathJax_Processing, .MJXc-processing"));
    return slide.classList.contains("present") && !!slide.dataset.fitScale && mathDone &&
      Array.from(slide.querySelectorAll("img")).every((img) => img.complete);
  },

  // Why slide i has not settled, for the failure message.
  state(i) {
    const slide = this.reveal().getSlides()[i];
    return { present: slide.classList.contains("present"), fitScale: slide.dataset.fitScale,
             formulas: slide.querySelectorAll('script[type^="math/tex"]').length,
             rendered: slide.querySelectorAll(".MathJax_CHTML").length,
             mathQueue: window.MathJax && MathJax.Hub ? MathJax.Hub.queue.pending : null,
             imagesLoading: Array.from(slide.querySelectorAll("img")).filter((i) => !i.complete).length };
  },

  // Where slide i's content lies on screen: the union of its elements' boxes, in CSS pixels
  // of the page, and the scale the deck shrank it by.
  measure(i) {
    const slide = this.reveal().getSlides()[i];
    const box = { top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity };
    for (const element of slide.querySelectorAll("*")) {
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      box.top = Math.min(box.top, r.top);
      box.bottom = Math.max(box.bottom, r.bottom);
      box.left = Math.min(box.left, r.left);
      box.right = Math.max(box.right, r.right);
    }
    const heading = slide.querySelector("h1, h2, h3");
    const text = (heading ? heading.innerText : slide.innerText).trim().split("\n")[0];
    return { ...box, scale: Number(slide.dataset.fitScale), title: text.slice(0, 70),
             width: window.innerWidth, height: window.innerHeight };
  },
};
