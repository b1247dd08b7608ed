// The style sheet and script of the HTML report (html_report.h). The script
// reads the embedded JSON (#ngbench-data), draws the charts with plotly.js and
// builds every table with the DOM (text set as textContent, never as HTML).
#include "report/html_report.h"

namespace ngbench::report {

const char* const kHtmlCss = R"CSS(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #222; background: #fafafa; }
header { background: #1f3b57; color: #fff; padding: 14px 24px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .sub { opacity: .85; }
nav { background: #fff; border-bottom: 1px solid #ddd; padding: 6px 24px; position: sticky; top: 0; z-index: 5; }
nav a { margin-right: 16px; color: #1f5f99; text-decoration: none; }
main { padding: 8px 24px 40px; }
section { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 10px 18px 16px; margin: 16px 0; }
h2 { font-size: 18px; margin: 6px 0 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.note { color: #555; margin: 4px 0 10px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px 14px; min-width: 120px; background: #fcfcfc; }
.card .v { font-size: 20px; font-weight: 600; }
.card .k { color: #666; font-size: 12px; }
.chart { width: 100%; height: 560px; }
table.data { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
table.data th, table.data td { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: left; vertical-align: top; }
table.data th { background: #f2f4f7; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 34px; }
table.data th.sorted-asc::after { content: " \25B2"; font-size: 10px; }
table.data th.sorted-desc::after { content: " \25BC"; font-size: 10px; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv td:first-child { color: #666; padding-right: 16px; }
details { margin: 6px 0; }
details > summary { cursor: pointer; padding: 3px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.failed { color: #c0392b; }
.extrap { color: #8a4b00; background: #fff4e0; border-left: 3px solid #e69500; padding: 4px 8px; }
.badge { font-size: 0.8em; padding: 1px 6px; border-radius: 3px; }
.badge.stable { background: #e3f4e3; color: #1e6b1e; }
.badge.unstable { background: #fde2e2; color: #a40000; font-weight: bold; }
ul.unstable { color: #a40000; }
code { background: #f2f2f2; padding: 0 3px; border-radius: 3px; }
)CSS";

const char* const kHtmlScript = R"JS(
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('ngbench-data').textContent);
  const app = document.getElementById('app');
  app.textContent = '';
  const colorOf = {};
  D.palette.forEach(g => { colorOf[g.name] = g.color; });

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'onclick') e.addEventListener('click', v); else e.setAttribute(k, v);
    });
    kids.flat().forEach(k => { if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k)); });
    return e;
  }
  const fix = d => v => (v === null || v === undefined || Number.isNaN(v)) ? 'n/a' : Number(v).toFixed(d);
  const pct = v => (v * 100).toFixed(2);
  const swatch = g => el('span', {class: 'swatch', style: 'background:' + (colorOf[g] || '#7f7f7f')});

  // A table whose columns sort on a click on their header.
  // cols: [{label, get: row => value, num: bool, fmt: value => text, group: bool}]
  function table(cols, rows) {
    const tbody = el('tbody');
    const ths = cols.map((c, i) => el('th', {onclick: () => sortBy(i)}, c.label));
    let sorted = -1, asc = true;
    function render() {
      tbody.textContent = '';
      rows.forEach(r => tbody.append(el('tr', {}, cols.map(c => {
        const v = c.get(r);
        const td = el('td', c.num ? {class: 'num'} : {}, c.group ? swatch(v) : null, c.fmt ? c.fmt(v) : (v === '' ? '-' : v));
        return td;
      }))));
    }
    function sortBy(i) {
      asc = sorted === i ? !asc : !cols[i].num;
      sorted = i;
      const get = cols[i].get;
      rows = rows.slice().sort((a, b) => {
        const x = get(a), y = get(b);
        const c = cols[i].num ? (x ?? -1e308) - (y ?? -1e308) : String(x).localeCompare(String(y));
        return asc ? c : -c;
      });
      ths.forEach((th, k) => { th.className = k === i ? (asc ? 'sorted-asc' : 'sorted-desc') : ''; });
      render();
    }
    render();
    return el('table', {class: 'data sortable'}, el('thead', {}, el('tr', {}, ths)), tbody);
  }
  const col = (label, key, num, fmt, group) => ({label, get: r => r[key], num: !!num, fmt, group: !!group});

  const nav = el('nav');
  function section(id, title, note) {
    const s = el('section', {id}, el('h2', {}, title), note ? el('p', {class: 'note'}, note) : null);
    nav.append(el('a', {href: '#' + id}, title));
    main.append(s);
    return s;
  }
  function chart(parent, traces, layout) {
    const div = el('div', {class: 'chart'});
    parent.append(div);
    Plotly.newPlot(div, traces, Object.assign({margin: {t: 40, r: 20, b: 120, l: 70}, legend: {traceorder: 'normal'},
      font: {family: 'DejaVu Sans, sans-serif', size: 12}}, layout), {displaylogo: false, responsive: true});
    return div;
  }

  const machines = [...new Set(D.runs.concat(D.failed).map(r => r.context.machine))];
  app.append(el('header', {}, el('h1', {}, D.title),
    el('div', {class: 'sub'}, `${D.runs.length} successful run(s), ${D.failed.length} failed, from ${D.source}`)));
  app.append(nav);
  const main = el('main');
  app.append(main);

  const summary = section('summary', 'Summary');
  const mean = a => a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN;
  summary.append(el('div', {class: 'cards'},
    [['runs', D.runs.length], ['failed', D.failed.length], ['devices', D.matrices.length],
     ['extrapolated', D.runs.filter(r => r.extrapolation.applied).length],
     ['unstable', D.runs.filter(r => r.stability.verdict === 'unstable').length],
     ['mean non-GEMM share', D.runs.length ? pct(mean(D.runs.map(r => r.non_gemm_share))) + '%' : 'n/a']]
      .map(([k, v]) => el('div', {class: 'card'}, el('div', {class: 'v'}, v), el('div', {class: 'k'}, k)))));
  summary.append(el('h3', {}, 'Machines'), el('ul', {}, machines.map(m => el('li', {}, m))));
  const extrapolated = D.runs.filter(r => r.extrapolation.applied);
  if (extrapolated.length) summary.append(el('p', {class: 'extrap'},
    'Extrapolated runs (depth-scaled with --layers: group and operator times are estimates for the full depth, ' +
    'latency as measured; labelled "extrapolated from N of L layers" in every chart and table): ' +
    extrapolated.map(r => r.label).join('; ')));

  // Breakdown: share of every group per configuration, missing and failed ones hatched.
  const bd = section('breakdown', 'Breakdown by operator group',
    'Share of attributed operator time per model and batch size, grouped by task. Hatched bars: no result (n/a) or a failed run; never drawn as zero.');
  D.matrices.forEach(m => {
    const cells = [], x = [[], []];
    m.series.forEach(s => s.cells.forEach(c => { cells.push(c); x[0].push(s.task || 'other'); x[1].push(s.label + ' b' + c.batch); }));
    const traces = [];
    D.palette.forEach((g, gi) => {
      if (!cells.some(c => c.state === 'ok' && c.shares[gi] > 0)) return;
      traces.push({type: 'bar', name: g.name, x, marker: {color: g.color},
        y: cells.map(c => c.state === 'ok' ? c.shares[gi] * 100 : null),
        hovertemplate: g.name + ': %{y:.2f}%<extra>%{x}</extra>'});
    });
    [['missing', 'n/a: no result', '/', 'n/a'], ['failed', 'run failed', 'x', 'failed']].forEach(([state, name, shape, text]) => {
      if (!cells.some(c => c.state === state)) return;
      traces.push({type: 'bar', name, x, y: cells.map(c => c.state === state ? 100 : null),
        text: cells.map(c => c.state === state ? text : ''), textposition: 'inside', insidetextanchor: 'middle', textangle: -90,
        hovertext: cells.map(c => c.state === 'failed' ? 'failed: ' + c.error : 'no result for this configuration'),
        hoverinfo: 'text', marker: {color: 'rgba(255,255,255,0)', line: {color: D.colors[state], width: 1},
          pattern: {shape, fgcolor: D.colors[state], solidity: 0.25}}});
    });
    bd.append(el('h3', {}, 'Device ' + m.device));
    chart(bd, traces, {barmode: 'stack', yaxis: {title: {text: 'share of attributed time (%)'}, range: [0, 100]},
      xaxis: {automargin: true}, title: {text: 'Share by group, ' + m.device}});
    const abs = D.palette.map((g, gi) => ({type: 'bar', name: g.name, x, marker: {color: g.color},
      y: cells.map(c => c.state === 'ok' ? D.runs[c.run].groups.find(q => q.name === g.name)?.time_ms ?? 0 : null),
      hovertemplate: g.name + ': %{y:.3f} ms<extra>%{x}</extra>'})).filter(t => t.y.some(v => v > 0));
    const gaps = cells.map((c, i) => i).filter(i => cells[i].state !== 'ok');
    if (gaps.length) abs.push({type: 'scatter', mode: 'text', showlegend: false, hoverinfo: 'skip', x: [gaps.map(i => x[0][i]), gaps.map(i => x[1][i])],
      y: gaps.map(() => 0), text: gaps.map(i => cells[i].state === 'failed' ? 'failed' : 'n/a'), textposition: 'top center',
      textfont: {color: '#555'}});
    chart(bd, abs, {barmode: 'stack', yaxis: {title: {text: 'ms per iteration'}}, xaxis: {automargin: true},
      title: {text: 'Time by group, ' + m.device}});
  });

  const sob = section('share-over-batch', 'Non-GEMM share over batch sizes',
    'Non-GEMM share of attributed time per model configuration; gaps are configurations without a result.');
  D.matrices.forEach(m => {
    const traces = m.series.map(s => ({type: 'scatter', mode: 'lines+markers', name: s.label + (s.task ? ' (' + s.task + ')' : ''),
      x: s.cells.map(c => c.batch), y: s.cells.map(c => c.state === 'ok' ? c.non_gemm_share * 100 : null), connectgaps: false}));
    chart(sob, traces, {title: {text: 'Non-GEMM share, ' + m.device},
      xaxis: {title: {text: 'batch size'}, type: 'log', tickvals: m.batches, ticktext: m.batches.map(String)},
      yaxis: {title: {text: 'non-GEMM share (%)'}, rangemode: 'tozero'}, margin: {t: 40, r: 20, b: 60, l: 70}});
  });

  const t4 = section('table-iv', 'Most time-consuming non-GEMM group (Table IV)');
  const h = D.table_iv.header;
  t4.append(table(h.map((name, i) => ({label: name, get: r => (/percent|batch|seq_len/.test(name) && r[i] !== 'n/a') ? Number(r[i]) : r[i],
    num: /percent|batch|seq_len/.test(name), group: name === 'top_non_gemm_group'})), D.table_iv.rows));

  // Quantization (Fig. 9): report/quant_figure.h's data, when some run used --quant.
  if (D.quant && D.quant.length) {
    const qs = section('quantization', 'Quantization (Fig. 9)', 'Per --quant scheme and sequence length: GEMM, ' +
      'Quantization (QDQ) and other non-GEMM time as a percent of the unquantized run at that length, labelled with ' +
      'the non-GEMM share (~: depth-scaled estimate). ngbench quant writes the same per study.');
    const segs = [['GEMM', 'gemm_pct', colorOf['GEMM'] || '#1f77b4'],
      ['Quantization (QDQ)', 'quant_pct', colorOf['Quantization'] || '#98df8a'], ['other non-GEMM groups', 'other_pct', D.colors.non_gemm]];
    D.quant.forEach(s => {
      const x = [[], []], bars = [], rows = [];
      s.clusters.forEach(c => c.bars.forEach(b => {
        x[0].push('s' + c.seq_len); x[1].push(b.variant); bars.push(b); rows.push(Object.assign({seq_len: c.seq_len}, b));
      }));
      const traces = segs.map(([name, key, color]) => ({type: 'bar', name, x, marker: {color},
        y: bars.map(b => b.state === 'ok' ? b[key] : null), hovertemplate: name + ': %{y:.1f}%<extra>%{x}</extra>'}));
      traces.push({type: 'scatter', mode: 'text', showlegend: false, hoverinfo: 'skip', x, textposition: 'top center',
        y: bars.map(b => b.state === 'ok' ? b.gemm_pct + b.quant_pct + b.other_pct : 0),
        text: bars.map(b => b.state === 'ok' ? (b.extrapolated ? '~' : '') + pct(b.non_gemm_share) + '%' : (b.state === 'failed' ? 'failed' : 'n/a'))});
      qs.append(el('h3', {}, s.label));
      chart(qs, traces, {barmode: 'stack', yaxis: {title: {text: '% of the unquantized run'}}, xaxis: {automargin: true},
        title: {text: 'GEMM and non-GEMM time by scheme'}});
      qs.append(table([col('seq', 'seq_len', true), col('scheme', 'variant'), col('state', 'state'),
        col('GEMM ms', 'gemm_ms', true, fix(2)), col('non-GEMM ms', 'non_gemm_ms', true, fix(2)),
        col('QDQ ms', 'quantization_ms', true, fix(2)), col('non-GEMM %', 'non_gemm_share', true, v => v === undefined ? 'n/a' : pct(v)),
        col('GEMM speedup', 'gemm_speedup', true, fix(2)), col('non-GEMM slowdown', 'non_gemm_slowdown', true, fix(2)),
        col('ops added', 'operators_added', true, fix(0)), col('stability', 'stability')], rows));
    });
  }

  // Prefill vs decode: report/phase_figure.h's data, drawn by html_phase_assets.cc, when a decode run is present.
  if (D.phase && D.phase.length) ngbenchPhaseSection(D, {section, chart, table, col, pct, fix, el});

  const runsec = section('runs', 'Runs', 'Each run: its context, its groups and its operators (click a column to sort).');
  D.runs.forEach((r, ri) => {
    const ctx = el('table', {class: 'data kv'}, el('tbody', {}, Object.entries(r.context).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, String(v))))));
    const lat = r.latency_ms, x = r.extrapolation, est = x.applied ? 'est. ' : '';
    const head = `latency median ${lat.median.toFixed(3)} ms${r.phase === 'decode' ? ` per generated token (decode of ${r.gen_tokens} tokens after ${r.seq_len})` : ''} (p90 ${lat.p90.toFixed(3)}, n ${lat.n}${x.applied ? `, measured with ${x.layers_built} of ${x.layers_total} layers` : ''}); coverage ${pct(r.coverage)}%; overhead ${((r.overhead - 1) * 100).toFixed(1)}%; non-GEMM ${x.applied ? '~' : ''}${pct(r.non_gemm_share)}%`;
    const extrap = x.applied ? el('p', {class: 'extrap'}, `EXTRAPOLATED from ${x.layers_built} of ${x.layers_total} layers: ` +
      `estimated full-depth latency median ${x.latency_ms.toFixed(3)} ms (measured median x depth scale ${x.depth_scale.toFixed(2)}; not measured). ` +
      `Group and operator times (est.) are depth-scaled estimates for ${x.layers_total} layers.`) : null;
    const st = r.stability, unstable = st.verdict === 'unstable';
    const badge = st.verdict ? el('span', {class: 'badge ' + (unstable ? 'unstable' : 'stable'), title: st.reasons.join('; ')},
      unstable ? 'UNSTABLE' : 'stable') : null;
    const why = unstable ? el('ul', {class: 'unstable'}, st.reasons.map(w => el('li', {}, w))) : null;
    runsec.append(el('details', ri === 0 ? {open: ''} : {}, el('summary', {}, el('b', {}, r.label), ' ', badge, ' ' + (r.task ? '[' + r.task + '] ' : '') + '— non-GEMM ' + (x.applied ? '~' : '') + pct(r.non_gemm_share) + '%'),
      el('p', {class: 'note'}, head, `; median's 95% interval +-${(100 * st.median_ci_rel).toFixed(1)}%`, ' — file ', el('code', {}, r.file)), extrap, why, ctx,
      table([col('group', 'name', false, null, true), col('side', 'side'), col(est + 'ms/iter', 'time_ms', true, fix(4)),
        col('share %', 'share', true, v => pct(v))], r.groups.filter(g => g.time_ms > 0 || g.name === 'Unclassified')),
      table([col('operator', 'name'), col('kind', 'kind'), col('group', 'group', false, null, true), col('scope', 'scope'),
        col('calls/iter', 'calls', true, fix(1)), col(est + 'total ms', 'total_ms', true, fix(4)), col(est + 'self ms', 'self_ms', true, fix(4)),
        col('share %', 'share', true, v => pct(v)), col('signatures', 'signatures', true)], r.ops)));
  });

  const fs = section('failed', 'Failed runs');
  if (!D.failed.length) fs.append(el('p', {}, 'none'));
  D.failed.forEach(r => fs.append(el('details', {open: ''}, el('summary', {class: 'failed'}, r.label + ': ' + r.error),
    el('table', {class: 'data kv'}, el('tbody', {}, Object.entries(r.context).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, String(v)))))))));

  const wl = section('workload', 'Workload report', 'Per run: operator types with their calls and time, and each input signature (shapes and dtypes) with its time. Then the ordered non-GEMM operators of one iteration per model.');
  D.workload.runs.forEach(w => {
    const sigs = [];
    w.ops.forEach(o => o.shapes.forEach(s => sigs.push(Object.assign({op: o.name, per_call: s.calls > 0 ? s.time_ms * 1000 / s.calls : null}, s))));
    wl.append(el('details', {}, el('summary', {}, w.label + ' — ' + w.ops.length + ' operator types' + (w.extrapolation ? ' (times are depth-scaled estimates)' : '')),
      table([col('operator', 'name'), col('group', 'group', false, null, true), col('calls/iter', 'calls', true, fix(1)),
        col('ms/iter', 'time_ms', true, fix(4)), col('share %', 'share', true, v => pct(v)),
        {label: 'signatures', get: r => r.shapes.length, num: true}], w.ops),
      table([col('operator', 'op'), col('inputs', 'inputs'), col('dtypes', 'dtypes'), col('calls/iter', 'calls', true, fix(1)),
        col('ms/iter', 'time_ms', true, fix(4)), col('us/call', 'per_call', true, fix(2))], sigs)));
  });
  wl.append(el('h3', {}, 'Non-GEMM operator traces'));
  D.workload.traces.forEach(t => wl.append(el('details', {}, el('summary', {}, `${t.label} — ${t.steps.length} non-GEMM of ${t.all_ops} operators${t.extrapolation ? ' (as measured, not scaled)' : ''}`),
    table([{label: '#', get: r => r.i, num: true}, col('operator', 'name'), col('group', 'group', false, null, true), col('scope', 'scope'),
      col('start us', 'start_us', true, fix(1)), col('dur us', 'dur_us', true, fix(1)), col('inputs', 'inputs')],
      t.steps.map((s, i) => Object.assign({i: i + 1}, s))))));

  if (D.fusion_study.length) {
    const fu = section('fusion', 'Fusion study (Fig. 8, Table V)',
      'Per model configuration: the unfused run (eager, or a flow with fusion off) and each fused run. Bars: GEMM and non-GEMM ms per iteration (attributed time); ! marks a run the tool judged unstable. Speedup: baseline non-GEMM ms over this run\'s.');
    const groupsByDevice = {};
    D.fusion_study.forEach(g => (groupsByDevice[g.device] = groupsByDevice[g.device] || []).push(g));
    Object.entries(groupsByDevice).forEach(([device, groups]) => {
      const x = [[], []], gemm = [], non = [], text = [];
      groups.forEach(g => g.runs.forEach(r => {
        x[0].push(g.label); x[1].push(r.label + (r.stability === 'unstable' ? ' !' : ''));
        gemm.push(r.gemm_ms); non.push(r.non_gemm_ms);
        text.push(fix(2)(r.non_gemm_ms) + ' ms');
      }));
      chart(fu, [{type: 'bar', name: 'GEMM', x, y: gemm, marker: {color: '#4c72b0'}, hovertemplate: 'GEMM: %{y:.3f} ms<extra>%{x}</extra>'},
        {type: 'bar', name: 'non-GEMM', x, y: non, text, textposition: 'outside', marker: {color: '#dd8452'},
          hovertemplate: 'non-GEMM: %{y:.3f} ms<extra>%{x}</extra>'}],
        {barmode: 'stack', title: {text: 'GEMM and non-GEMM latency per flow, ' + device}, xaxis: {automargin: true},
          yaxis: {title: {text: 'ms per iteration (attributed)'}}});
    });
    const rows = [];
    D.fusion_study.forEach(g => g.runs.forEach(r => rows.push(Object.assign({config: g.label, device: g.device,
      share: r.attributed_ms > 0 ? r.non_gemm_ms / r.attributed_ms : NaN}, r))));
    fu.append(el('h3', {}, 'Table V'));
    const rate = v => (v === null || v === undefined || Number.isNaN(v)) ? 'n/a' : pct(v);
    fu.append(table([col('configuration', 'config'), col('device', 'device'), col('run', 'label'),
      col('stability', 'stability'), col('latency ms', 'latency_ms', true, fix(3)), col('GEMM ms', 'gemm_ms', true, fix(3)),
      col('non-GEMM ms', 'non_gemm_ms', true, fix(3)), col('non-GEMM %', 'share', true, v => Number.isNaN(v) ? 'n/a' : pct(v)),
      {label: 'non-GEMM speedup', get: r => r.baseline ? 'baseline' : r.non_gemm_speedup, num: true,
        fmt: v => v === 'baseline' ? v : fix(2)(v) + (Number.isFinite(v) ? 'x' : '')},
      ...[['fusion rate %', 'fusion_rate'], ['with GEMM %', 'fusion_rate_with_gemm'], ['among non-GEMM %', 'fusion_rate_non_gemm']]
        .map(([label, key]) => ({label, get: r => r.fusion_analyzed ? r[key] : null, num: true, fmt: rate}))], rows));
  }

  const ng = section('nongemm', 'Non-GEMM report', 'Operator variants within each non-GEMM group, e.g. two different normalizations in one model.');
  const multi = [];
  D.nongemm.runs.forEach(r => r.groups.forEach(g => { if (g.variants.length > 1) multi.push({run: r.label, group: g.group, n: g.variants.length, names: g.variants.map(v => v.name).join(', ')}); }));
  ng.append(el('h3', {}, 'Groups with more than one variant'));
  ng.append(multi.length ? table([col('run', 'run'), col('group', 'group', false, null, true), col('variants', 'n', true), col('names', 'names')], multi) : el('p', {}, 'none'));
  D.nongemm.runs.forEach(r => {
    const rows = [];
    r.groups.forEach(g => g.variants.forEach(v => rows.push(Object.assign({group: g.group, scopes_text: v.scopes.map(s => s || '(top level)').join(', ')}, v))));
    ng.append(el('details', {}, el('summary', {}, `${r.label} — non-GEMM ${r.extrapolation ? '~' : ''}${pct(r.non_gemm_share)}%${r.extrapolation ? ' (depth-scaled estimates)' : ''}`),
      table([col('group', 'group', false, null, true), col('variant', 'name'), col('kind', 'kind'), col('scopes', 'scopes_text'),
        col('calls/iter', 'calls', true, fix(1)), col('ms/iter', 'time_ms', true, fix(4)),
        col('% of group', 'share_of_group', true, v => pct(v)), col('% of run', 'share_of_run', true, v => pct(v))], rows)));
  });
})();
)JS";

}  // namespace ngbench::report
