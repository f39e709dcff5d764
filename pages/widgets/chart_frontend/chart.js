// cashpilot's chart: draws one Plotly figure sent by pages/widgets/chart.py (a Streamlit v2 component, in the page).
//
// Why not st.plotly_chart: it makes the browser load and evaluate the full Plotly bundle (4.7 MB) before the first
// chart. Every cashpilot chart is scatter or bar, which Plotly's basic bundle (1.2 MB, vendored next to this file)
// draws the same. The first chart of a browser tab loads it from serve.py's route (pages/server/chart_assets.py);
// every later chart, on any page, reuses it (window.cashpilotPlotly).
// Each chart reports its state on its element, data-state="drawing|drawn|failed", which the browser tests read.

function loadScript(src) {
  return new Promise(function (resolve, reject) {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = function () { reject(new Error("could not load " + src)); };
    document.head.appendChild(script);
  });
}

function plotly(assets) {
  if (!window.cashpilotPlotly) {
    window.cashpilotPlotly = loadScript(assets + "plotly-basic.min.js")
      .then(function () { return loadScript(assets + "plotly-locale-fr.js"); })
      .then(function () { return window.Plotly; }, function (error) {
        window.cashpilotPlotly = null;  // the next chart tries again (a server restart, a dropped connection)
        throw error;
      });
  }
  return window.cashpilotPlotly;
}

const drawnSpec = new WeakMap();  // chart element -> the figure JSON it shows (or is about to)
const watchers = new WeakMap();   // chart element -> the ResizeObserver keeping it as wide as its container

// Charts waiting to be drawn. Drawing is main-thread work (0.1-0.3 s a chart on a small machine): the charts of a page
// are drawn one after the other from the top, so the first one a reader sees comes first.
const queue = [];

// Plotly's toolbar shows over a chart's top right corner on hover. Only what a reader of these charts uses is kept
// (download as PNG, zoom, pan, reset): select and lasso do nothing here, and a shorter bar hides less of the title.
const TOOLBAR_REMOVED = ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"];
const TOOLBAR_PX = 150;    // the four buttons' bar (120 px in chromium) and a gap before it
const TOOLBAR_ROW_PX = 30; // a title that would run under the bar is drawn this much lower, below it
const titleShift = new WeakMap();  // chart element -> how much lower its title is drawn (0 or TOOLBAR_ROW_PX)
let textMeter = null;

function titleWidth(layout) {
  const title = layout.title || {};
  const text = typeof title === "string" ? title : title.text;
  if (!text) return 0;
  const themed = ((layout.template || {}).layout || {}).title || {};
  const font = Object.assign({ size: 17, family: "sans-serif" }, (themed.font || {}), (title.font || {}));
  textMeter = textMeter || document.createElement("canvas").getContext("2d");
  textMeter.font = font.size + "px " + font.family;
  return textMeter.measureText(text.replace(/<[^>]*>/g, "")).width + ((title.pad || {}).l || 0);
}

function shiftFor(chart, layout) {
  // The title's room on its line is the chart's width less the toolbar: a longer one goes below the toolbar's row.
  return titleWidth(layout) > chart.clientWidth - TOOLBAR_PX ? TOOLBAR_ROW_PX : 0;
}

function withTitleRoom(layout, shift) {
  if (!shift || !layout.title) return layout;
  const title = Object.assign({}, layout.title);
  title.pad = Object.assign({}, title.pad, { t: ((title.pad || {}).t || 0) + shift });
  const margin = Object.assign({}, layout.margin, { t: ((layout.margin || {}).t || 0) + shift });
  return Object.assign({}, layout, { title: title, margin: margin });
}

function draw(chart, data, Plotly) {
  if (drawnSpec.get(chart) !== data.spec || !chart.isConnected) return Promise.resolve();  // replaced or gone since
  const figure = JSON.parse(data.spec);
  // The margins the server reserved for the labels and legend: Plotly's automargin then has nothing to grow, and
  // does not draw the figure a second time (it still grows a margin a label overflows).
  const margin = Object.assign({}, (figure.layout || {}).margin, data.margin);
  const base = Object.assign({}, figure.layout, { autosize: true, height: data.height, margin: margin });
  const shift = shiftFor(chart, base);
  titleShift.set(chart, shift);
  const layout = withTitleRoom(base, shift);
  // showSendToCloud: plotly.js 4 shows a "Share chart..." button that uploads the figure (a company's cash) to Plotly
  // Cloud; nothing leaves the dashboard that way.
  const config = { displaylogo: false, showSendToCloud: false, modeBarButtonsToRemove: TOOLBAR_REMOVED,
                   toImageButtonOptions: { filename: data.filename, scale: 2 } };
  if (data.locale !== "en") config.locale = data.locale;  // "en" is Plotly's own: no dictionary to name
  return Plotly.react(chart, figure.data || [], layout, config).then(function () {
    if (drawnSpec.get(chart) === data.spec) chart.dataset.state = "drawn";
  });
}

function fail(chart, data, error) {
  if (window.Plotly) window.Plotly.purge(chart);  // a later figure starts from a clean element
  chart.dataset.state = "failed";
  chart.textContent = data.failure + " (" + error + ")";
}

function drawQueued() {
  const batch = queue.splice(0).sort(function (a, b) {
    return a.chart.compareDocumentPosition(b.chart) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  plotly(batch[0].data.assets).then(function (Plotly) {
    return batch.reduce(function (previous, item) {
      return previous.then(function () {
        return draw(item.chart, item.data, Plotly).catch(function (error) { fail(item.chart, item.data, error); });
      });
    }, Promise.resolve());
  }, function (error) {
    batch.forEach(function (item) { fail(item.chart, item.data, error); });
  });
}

export default function ({ parentElement, data }) {
  let chart = parentElement.querySelector(".cashpilot-chart");
  if (chart === null) {
    chart = document.createElement("div");
    chart.className = "cashpilot-chart";
    parentElement.appendChild(chart);
  }
  if (!watchers.has(chart)) {
    // The container's width changes with the window and with the sidebar opened or closed: follow it.
    const watcher = new ResizeObserver(function () {
      if (chart.dataset.state !== "drawn" || !window.Plotly) return;
      const layout = chart.layout;  // as drawn: its title and top margin include any earlier shift
      const before = titleShift.get(chart) || 0;
      const unshifted = withTitleRoom(layout, -before);
      const after = shiftFor(chart, unshifted);
      if (after === before) {
        window.Plotly.Plots.resize(chart);
        return;
      }
      titleShift.set(chart, after);  // narrower or wider: the title moves below the toolbar's row, or back
      const moved = withTitleRoom(unshifted, after);
      window.Plotly.relayout(chart, { "title.pad.t": moved.title.pad.t, "margin.t": moved.margin.t, autosize: true });
    });
    watcher.observe(parentElement);
    watchers.set(chart, watcher);
  }
  if (drawnSpec.get(chart) !== data.spec) {  // a rerun that sends the same figure draws nothing
    drawnSpec.set(chart, data.spec);
    chart.dataset.state = "drawing";
    chart.style.height = data.height + "px";
    queue.push({ chart: chart, data: data });
    if (queue.length === 1) setTimeout(drawQueued, 0);  // the charts mounted together are drawn top first
  }
  return function () {  // the chart leaves the page: free Plotly's listeners and the watcher
    if (watchers.has(chart)) watchers.get(chart).disconnect();
    watchers.delete(chart);
    if (window.Plotly) window.Plotly.purge(chart);
  };
}
