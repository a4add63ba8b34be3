// Helpers that tests/test_browser.py runs inside the JupyterLab page.
//
// The test server is started with --LabApp.expose_app_in_browser=True, so the running
// JupyterLab application is window.jupyterapp. Everything here is put on window.nnlibTest;
// the Python side calls it with page.evaluate("(path) => nnlibTest.someFunction(path)", path).

window.nnlibTest = (() => {
  const STDERR_MIME = "application/vnd.jupyter.stderr"; // errors and stderr are shown as this
  const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";

  /** The open notebook panel for a path relative to the server root, or null. */
  function findPanel(path) {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const widget of app.shell.widgets("main")) {
      if (widget.context && widget.context.path === path && widget.content) return widget;
    }
    return null;
  }

  /** True for a cell tagged "raises-exception": its error is part of the lesson. */
  function expectsError(cell) {
    const tags = cell.model.getMetadata("tags");
    return Array.isArray(tags) && tags.includes("raises-exception");
  }

  function kernelOf(panel) {
    const session = panel.sessionContext.session;
    return session ? session.kernel : null;
  }

  /** True once the notebook is open and its kernel is connected and idle. */
  function notebookReady(path) {
    const panel = findPanel(path);
    if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
    const kernel = kernelOf(panel);
    return Boolean(kernel && kernel.connectionStatus === "connected" && kernel.status === "idle");
  }

  /**
   * Clear all outputs (so execution counts saved in the file can't look like a finished run),
   * then start Kernel > "Restart Kernel and Run All Cells". That command waits for the user to
   * confirm in a dialog, so it is not awaited here. Returns the panel's DOM id.
   */
  async function startRestartRunAll(path) {
    const app = window.jupyterapp;
    const panel = findPanel(path);
    app.shell.activateById(panel.id);
    await app.commands.execute("notebook:clear-all-cell-outputs");
    void app.commands.execute("notebook:restart-run-all");
    return panel.id;
  }

  /** True once the kernel is idle and every non-empty code cell has run, or one has failed. */
  function runAllFinished(path) {
    const panel = findPanel(path);
    const kernel = kernelOf(panel);
    if (!kernel || kernel.status !== "idle") return false;
    let allRan = true;
    for (const cell of panel.content.widgets) {
      if (cell.model.type !== "code") continue;
      const outputs = cell.model.outputs.toJSON();
      // An error stops "run all" (except in a cell tagged raises-exception).
      const failed = outputs.some((output) => output.output_type === "error");
      if (failed && !expectsError(cell)) return true;
      const empty = cell.model.sharedModel.getSource().trim() === "";
      if (!empty && cell.model.executionCount === null) allRan = false;
    }
    return allRan;
  }

  /** Shut the notebook's kernel down (when the test is done with the lesson). */
  async function shutDownKernel(path) {
    const panel = findPanel(path);
    if (panel) await panel.sessionContext.shutdown();
  }

  /** Kernel status and the prompt of every code cell, to explain a run that never finished. */
  function runAllState(path) {
    const panel = findPanel(path);
    if (!panel) return "the notebook is not open";
    const kernel = kernelOf(panel);
    const prompts = panel.content.widgets
      .filter((cell) => cell.model.type === "code")
      .map((cell) => cell.node.querySelector(".jp-InputArea-prompt")?.textContent.trim() || "?");
    return `kernel ${kernel ? kernel.status : "none"}, code cell prompts ${prompts.join(" ")}`;
  }

  /** What each cell shows: errors, widgets and figures (wanted and rendered). */
  function cellReport(path) {
    const panel = findPanel(path);
    return panel.content.widgets.map((cell) => {
      const outputs = cell.model.type === "code" ? cell.model.outputs.toJSON() : [];
      const hasData = (mime) => outputs.filter((o) => o.data && mime in o.data).length;
      const outputNodes = Array.from(cell.node.querySelectorAll(".jp-OutputArea-output"));
      const images = Array.from(cell.node.querySelectorAll(".jp-RenderedImage img"));
      const outputText = Array.from(
        cell.node.querySelectorAll(".jp-OutputArea"),
        (area) => area.textContent,
      ).join("\n");
      return {
        source: cell.model.sharedModel.getSource(),
        expectsError: cell.model.type === "code" && expectsError(cell),
        errors: outputNodes
          .filter((node) => node.getAttribute("data-mime-type") === STDERR_MIME)
          .map((node) => node.textContent),
        // A widget whose model is missing says so in text; one whose front end failed is
        // replaced by an error placeholder ("Click to show javascript error").
        widgetError: /Error displaying widget|model not found|javascript error/i.test(outputText) ||
          cell.node.querySelector(".jupyter-widgets-error-widget") !== null,
        // A widget output that rendered holds the widget's view (class jupyter-widgets);
        // one that failed holds only the text "Error displaying widget...".
        widgetOutputs: hasData(WIDGET_MIME),
        renderedWidgets: outputNodes.filter((node) => node.querySelector(".jupyter-widgets"))
          .length,
        pngOutputs: hasData("image/png"),
        images: images.length,
        loadedImages: images.filter((img) => img.complete && img.naturalWidth > 0).length,
      };
    });
  }

  /** The part of the page that should follow a slider: its explorer, else its output area. */
  function dependentsOf(handle) {
    return handle.closest(".nnlib-explorer") || handle.closest(".jp-OutputArea") ||
      handle.closest(".jp-Cell");
  }

  /** Scroll so that as much as fits of what depends on the slider is on screen. */
  function showDependents(handle) {
    dependentsOf(handle).scrollIntoView({ block: "start" });
  }

  /**
   * Get ready to move one slider: find what depends on it and start watching for a change.
   *
   * What depends on a slider lives in its closest .nnlib-explorer (the course's convention:
   * an .nnlib-readout text and an .nnlib-figure image), else in its output area. The watch
   * records performance.now() at the key press and when both the readout text and an image
   * have changed (and the new image is decoded). Returns what the Python side needs to know.
   */
  function watchSlider(handle) {
    const explorer = handle.closest(".nnlib-explorer");
    const container = dependentsOf(handle);
    const labelNode = handle.closest(".widget-slider")?.querySelector(".widget-label");
    const label = labelNode?.textContent.trim() || "(slider without description)";

    function readoutText() {
      const readouts = container.querySelectorAll(".nnlib-readout");
      if (readouts.length > 0) return Array.from(readouts, (node) => node.textContent).join("\n");
      // No readout: all the text except the sliders' own value labels, which always change.
      const copy = container.cloneNode(true);
      copy.querySelectorAll(".widget-slider").forEach((node) => node.remove());
      return copy.textContent;
    }
    function imageSources() {
      return Array.from(container.querySelectorAll("img"), (img) => img.src);
    }

    const value = parseFloat(handle.getAttribute("aria-valuenow"));
    const max = parseFloat(handle.getAttribute("aria-valuemax"));
    const watch = {
      label: label,
      key: value >= max ? "ArrowLeft" : "ArrowRight",
      inExplorer: Boolean(explorer),
      hasReadout: container.querySelector(".nnlib-readout") !== null,
      // The figure must really be there: an <img class="nnlib-figure"> holding a picture.
      hasFigure: Array.from(container.querySelectorAll("img.nnlib-figure")).some(
        (img) => img.complete && img.naturalWidth > 0,
      ),
      textBefore: readoutText(),
      imagesBefore: imageSources(),
      textChanged: false,
      imageChanged: false,
      pressedAt: null,
      updatedAt: null,
    };
    // An explorer always has a figure that must follow the slider.
    const needImage = watch.inExplorer || watch.imagesBefore.length > 0;

    handle.addEventListener(
      "keydown",
      () => {
        watch.pressedAt = performance.now();
      },
      { capture: true, once: true },
    );

    const observer = new MutationObserver(() => {
      watch.textChanged = readoutText() !== watch.textBefore;
      watch.imageChanged = imageSources().join("\n") !== watch.imagesBefore.join("\n");
      if (watch.textChanged && (watch.imageChanged || !needImage)) {
        observer.disconnect();
        const fresh = Array.from(container.querySelectorAll("img")).filter(
          (img) => !watch.imagesBefore.includes(img.src),
        );
        Promise.all(fresh.map((img) => img.decode().catch(() => null))).then(() => {
          watch.updatedAt = performance.now();
        });
      }
    });
    observer.observe(container, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    window.nnlibSliderWatch = watch;
    return {
      label: watch.label,
      key: watch.key,
      inExplorer: watch.inExplorer,
      hasReadout: watch.hasReadout,
      hasFigure: watch.hasFigure,
    };
  }

  /** True once the watched explorer has followed its slider. */
  function sliderUpdated() {
    return window.nnlibSliderWatch.updatedAt !== null;
  }

  /** What the watch saw: which parts changed, and the milliseconds from key press to update. */
  function sliderState() {
    const watch = window.nnlibSliderWatch;
    return {
      pressed: watch.pressedAt !== null,
      textChanged: watch.textChanged,
      imageChanged: watch.imageChanged,
      images: watch.imagesBefore.length,
      ms: watch.updatedAt === null ? null : watch.updatedAt - watch.pressedAt,
    };
  }

  return {
    notebookReady,
    startRestartRunAll,
    runAllFinished,
    runAllState,
    shutDownKernel,
    cellReport,
    showDependents,
    watchSlider,
    sliderUpdated,
    sliderState,
  };
})();
