// The HTML report's "Prefill vs decode" section (phase_figure.h's data, D.phase):
// a function the page's script (html_assets.cc) calls with its helpers when a
// decode result is present, so that the main script stays one concern.
#include "report/html_report.h"

namespace ngbench::report {

const char* const kHtmlPhaseScript = R"JS(
function ngbenchPhaseSection(D, h) {
  'use strict';
  const {section, chart, table, col, pct, fix, el} = h;
  const ps = section('phase', 'Prefill vs decode', 'Per model and context: the prefill (one forward over the ' +
    'context, ms per forward) beside the decode (ms per generated token: one forward of one token over the KV cache ' +
    'plus the greedy step), with the non-GEMM share of each and its top non-GEMM group; early / late: the decode\'s ' +
    'non-GEMM share over the first and the second half of the generated tokens. ~: a full-depth estimate of a ' +
    'depth-scaled run (extrapolated); !: the run judged itself unstable.');
  const mark = s => (s.extrapolated ? '~' : '');
  const shareText = s => s.state === 'ok'
    ? mark(s) + pct(s.non_gemm_share) + '%' + (s.stability === 'unstable' ? ' !' : '')
    : (s.state === 'failed' ? 'failed' : 'n/a');
  D.phase.forEach(series => {
    const x = series.rows.map(r => r.cluster);
    const traces = [['prefill', 'prefill (per forward)', '#4c72b0'], ['decode', 'decode (per token)', '#dd8452']]
      .map(([key, name, color]) => ({type: 'bar', name, x, marker: {color},
        y: series.rows.map(r => r[key].state === 'ok' ? r[key].non_gemm_share * 100 : null),
        text: series.rows.map(r => shareText(r[key])), textposition: 'outside',
        hovertext: series.rows.map(r => r[key].state === 'ok'
          ? `${name}: ${mark(r[key])}${fix(3)(r[key].ms)} ms, top ` +
          (r[key].top_group || 'none') : (r[key].state === 'failed' ? 'failed: ' + r[key].error : 'no result')),
        hoverinfo: 'text'}));
    ps.append(el('h3', {}, series.label));
    chart(ps, traces, {barmode: 'group',
      yaxis: {title: {text: 'non-GEMM share of attributed time (%)'}, rangemode: 'tozero'},
      xaxis: {title: {text: 'context (tokens) and generated tokens'}, automargin: true},
      title: {text: 'Non-GEMM share, prefill vs decode'}, margin: {t: 40, r: 20, b: 80, l: 70}});
    const rows = series.rows.map(r => ({context: r.context, tokens: r.gen_tokens || null, p: r.prefill, d: r.decode}));
    // A number that sorts as itself and prints with its mark: "~" a full-depth estimate.
    const marked = (v, m) => m ? Object.assign(new Number(v), {m}) : v;
    const show = d => v => (v && v.m === '~' ? '~' : '') + fix(d)(v);
    const val = (side, key) => r => r[side].state === 'ok' ? marked(r[side][key], mark(r[side])) : null;
    const half = key => r => r.d.state === 'ok' && r.d[key]
      ? marked(r.d[key].non_gemm_share * 100, r.d.extrapolated ? '~' : '') : null;
    ps.append(table([
      col('context', 'context', true), col('tokens', 'tokens', true),
      {label: 'prefill ms', get: val('p', 'ms'), num: true, fmt: show(3)},
      {label: 'prefill non-GEMM', get: r => shareText(r.p)},
      {label: 'prefill top group', get: r => r.p.top_group || '-'},
      {label: 'decode ms/token', get: val('d', 'ms'), num: true, fmt: show(3)},
      {label: 'tokens/s', get: val('d', 'tokens_per_s'), num: true, fmt: show(1)},
      {label: 'decode non-GEMM', get: r => shareText(r.d)},
      {label: 'decode top group', get: r => r.d.top_group || '-'},
      {label: 'early non-GEMM %', get: half('early'), num: true, fmt: show(2)},
      {label: 'late non-GEMM %', get: half('late'), num: true, fmt: show(2)}], rows));
  });
}
)JS";

}  // namespace ngbench::report
