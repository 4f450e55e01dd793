"""The report's stylesheet, inline in the page (nothing is fetched: the page works offline)."""

CSS = """
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:24px 32px;color:#1c2833;background:#fdfefe}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #d5d8dc}
.facts{margin:0;color:#566573}.bad{color:#c0392b;font-weight:bold}.empty{color:#7f8c8d}
ol.stages{list-style:none;display:flex;gap:6px;padding:0;margin:8px 0}
.stage{padding:6px 12px;border-radius:14px;background:#eaeded;color:#566573;font-size:13px}
.stage.done{background:#d4efdf;color:#1e8449}.stage.current{background:#2471a3;color:#fff;font-weight:bold}
.stage.paused{background:#b9770e;color:#fff;font-weight:bold}
ol.steps{list-style:none;display:flex;gap:4px;padding:0;margin:6px 0}
.step{padding:4px 10px;border-radius:4px;background:#eaeded;color:#566573;font-size:13px}
.step.done{background:#d4efdf;color:#1e8449}.step.current{background:#2471a3;color:#fff;font-weight:bold}
.step.aborted{background:#c0392b;color:#fff;font-weight:bold}.rollout h3{font-size:15px;margin:14px 0 4px}
ol.judgements{font-size:13px;margin:4px 0;padding-left:20px}.judgement.fail{color:#c0392b}
.judgement.inconclusive,.judgement.unavailable{color:#b9770e}
table.history{border-collapse:collapse;margin-top:10px;font-size:13px}
table.history th,table.history td{border-bottom:1px solid #eaeded;padding:4px 10px;text-align:left}
td.outcome.live{color:#1e8449;font-weight:bold}td.outcome.rolled_back,td.outcome.failed{color:#c0392b}
.charts{display:flex;flex-wrap:wrap;gap:18px}figure.metric{margin:0;border:1px solid #eaeded;padding:8px}
figcaption{font-weight:bold;font-size:14px}ul.values{list-style:none;padding:0;margin:4px 0 0;font-size:12px;
display:flex;flex-wrap:wrap;gap:10px;color:#566573}
svg text{font-family:inherit}.tick{font-size:11px;fill:#566573}.limit-label{font-size:11px}
.lane-label{font-size:12px;fill:#1c2833}.bar-label{font-size:11px;fill:#fff}
.legend{font-size:12px;color:#566573}.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin:0 4px}
.dot.approved{background:#1e8449}.dot.rejected{background:#c0392b}.dot.pending{background:#b9770e}
footer{margin-top:30px;font-size:11px;color:#95a5a6}
"""
