"""Map builders for the key-project map: frame in, folium.Map / pydeck.Deck out.

Everything a map needs is served by the cockpit itself: Leaflet and markercluster from
static/vendor/, county boundaries from data/geo/, and no base-map tiles unless
config/map.toml offers a provider. Markers are built in the browser from a compact
array (one FastMarkerCluster-style layer with an L.circleMarker callback), so thousands
of projects stay fast. Every text from data is HTML-escaped here, in Python, before it
reaches the browser.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import branca
import folium
import folium.elements
import polars as pl
import pydeck as pdk
from folium.plugins import FastMarkerCluster
from folium.template import Template

from etl.divisions import ZONE_HOST, ZONES
from ui import cards, geo
from ui.format import by_value, escape, money, pct
from ui.labels import KEY_LEVEL, STATUS, STATUS_COLOR

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config" / "map.toml"
NO_STATUS_COLOR = cards.NO_STATUS_COLOR
ZONE_COLOR = "#6b4fa0"

# folium's CDN links → files shipped under static/vendor/ (None: not needed, dropped)
VENDOR = {
    "leaflet": "vendor/leaflet-1.9.3/leaflet.js",
    "leaflet_css": "vendor/leaflet-1.9.3/leaflet.css",
    "markerclusterjs": "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
    # folium loads these for awesome markers and bootstrap popups; the cockpit uses neither
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}


# ---------------------------------------------------------------- configuration

@dataclass(frozen=True)
class TileProvider:
    key: str
    label: str
    crs: str
    url: str | None = None
    labels_url: str | None = None
    attr: str = ""
    subdomains: str | None = None
    max_zoom: int = 18


@dataclass(frozen=True)
class MapConfig:
    providers: dict[str, TileProvider]  # the ones users may choose, in order
    default: str
    deck_style: str


NO_TILES = TileProvider(key="none", label="无底图（仅行政区划）", crs="wgs84")


ATTRIBUTION = "行政区划边界仅供示意"
FIT_PAD = 36  # px around the fitted city or county
NARROW_MIN_HEIGHT = 320  # px: a phone's map is never cut lower than this


def load_config(path: Path | None = None, env: dict | None = None) -> MapConfig:
    """config/map.toml plus environment overrides; providers needing a missing key are left out."""
    env = os.environ if env is None else env
    raw = tomllib.loads((path or Path(env.get("COCKPIT_MAP_CONFIG", CONFIG_FILE))).read_text(encoding="utf-8"))
    offer = [s.strip() for s in env["COCKPIT_MAP_OFFER"].split(",")] if env.get("COCKPIT_MAP_OFFER") else raw["offer"]
    default = env.get("COCKPIT_MAP_TILES") or raw.get("default", "none")
    if default not in offer:
        offer = [default, *offer]
    providers = {}
    for key in dict.fromkeys(offer):
        spec = raw["providers"].get(key)
        if spec is None:
            continue
        tile_key = env.get(spec["key_env"]) if spec.get("key_env") else None
        if spec.get("key_env") and not tile_key:
            continue  # e.g. 天地图 without TIANDITU_KEY
        fill = (lambda u, k=tile_key: u.replace("{key}", quote(k))) if tile_key else (lambda u: u)
        providers[key] = TileProvider(
            key=key, label=spec["label"], crs=spec.get("crs", "wgs84"),
            url=fill(spec["url"]) if spec.get("url") else None,
            labels_url=fill(spec["labels_url"]) if spec.get("labels_url") else None,
            attr=spec.get("attr", ""), subdomains=spec.get("subdomains"), max_zoom=int(spec.get("max_zoom", 18)))
    if not providers:
        providers = {"none": NO_TILES}
    if default not in providers:
        default = next(iter(providers))
    deck_style = env.get("COCKPIT_DECK_STYLE") or raw.get("deck", {}).get("style", "/app/static/blank-style.json")
    return MapConfig(providers=providers, default=default, deck_style=deck_style)


# ---------------------------------------------------------------- marker data (pure)

def marker_radius(total_wan, largest_wan, small: float = 6.0, large: float = 20.0) -> float:
    """Circle radius in pixels: area grows with total investment (square-root scale)."""
    if total_wan is None or not largest_wan or total_wan <= 0 or (isinstance(total_wan, float) and math.isnan(total_wan)):
        return small
    return round(small + (large - small) * math.sqrt(min(total_wan / largest_wan, 1.0)), 1)




def dossier_link(base: str, code: str) -> str:
    """The project's file: `<base>?project=<code>` (code URL-encoded)."""
    return f"{base}?project={quote(str(code), safe='')}"


def _leader(name, title) -> str:
    if not name:
        return "—"
    return f"{name}（{title}）" if title else str(name)


def marker_rows(df: pl.DataFrame, crs: str = "wgs84", dossier_href: str = "/dossier",
                small: float = 6.0, large: float = 20.0) -> list[list]:
    """One compact row per project with coordinates, every text escaped:
    [lat, lon, radius, status, name, level, unit, total, plan, ytd, rate, progress, reason, leader, href]."""
    d = df.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
    largest = d["total_investment_wan"].max() if d.height else None
    rows = []
    for r in d.iter_rows(named=True):
        lon, lat = geo.to_crs(r["lon"], r["lat"], crs)
        rows.append([
            round(lat, 6), round(lon, 6),
            marker_radius(r["total_investment_wan"], largest, small, large),
            r["status"] or "",
            escape(r["name"]),
            escape(KEY_LEVEL.get(r["key_level"], r["key_level"] or "—")),
            escape(r["unit_name"] or "—"),
            escape(money(r["total_investment_wan"])),
            escape(money(r["annual_plan_wan"])),
            escape(money(r["completed_ytd_wan"])),
            escape(pct(r["completion_rate"])),
            escape(r["progress_text"] or "—"),
            escape(r["status_reason"] or ""),
            escape(_leader(r["leader"], r.get("leader_title"))),
            escape(dossier_link(dossier_href, r["project_code"])),
        ])
    return rows


def short_zone_name(name: str) -> str:
    """「大同经济技术开发区」 → 「大同经开区」 (the short form the zones use themselves)."""
    return name.replace("经济技术开发区", "经开区")


def zone_summary(df: pl.DataFrame) -> pl.DataFrame:
    """Key projects per development zone (zones have no polygon: they are drawn as their own units)."""
    zones = pl.DataFrame({"zone_code": [z for z, _, _ in ZONES], "zone_name": [n for _, n, _ in ZONES],
                          "host_code": [h for _, _, h in ZONES]})
    counts = (df.with_columns(pl.col("zone_code").cast(pl.String)).filter(pl.col("zone_code").is_not_null())
              .group_by("zone_code")
              .agg(pl.len().alias("projects"),
                   (pl.col("status") == "red").sum().alias("red"),
                   (pl.col("status") == "yellow").sum().alias("yellow"),
                   (pl.col("status") == "green").sum().alias("green"),
                   pl.col("total_investment_wan").sum().alias("total_wan")))
    return (zones.join(counts, on="zone_code", how="left")
            .with_columns(pl.col("projects", "red", "yellow", "green").fill_null(0).cast(pl.Int64),
                          pl.col("total_wan").fill_null(0.0)))


def status_line(df: pl.DataFrame, scope: str) -> str:
    """「12个重点工程 · 总投资 … · ●红 3 ●黄 2 ●绿 7 · 已上图 10个」 as safe HTML."""
    n = df.height
    counts = {s: df.filter(pl.col("status") == s).height for s in STATUS}
    mapped = df.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null()).height
    dots = " ".join(f'<span class="cp-dot" style="background:{STATUS_COLOR[s]}"></span>{STATUS[s]} <b>{c:,}</b>'
                    for s, c in counts.items())
    return (f'<style>.cp-dot{{display:inline-block;width:11px;height:11px;border-radius:50%;'
            f'margin:0 3px 0 8px;vertical-align:-1px;}}</style>'
            f'<div class="cockpit-note">{escape(scope)}<br/><b>{n:,}</b>个重点工程 · 总投资 '
            f'<b>{escape(money(df["total_investment_wan"].sum()))}</b> · {dots} · 已上图 {mapped:,}个</div>')


def project_table(df: pl.DataFrame, dossier_href: str = "/dossier") -> pl.DataFrame:
    """The projects of the map as a table with Chinese headers (amounts in 万元) and a link to each file."""
    # the columns a leader asks for first (a phone shows three or four): name, status, level, leader
    return df.select(
        pl.col("name").alias("项目名称"),
        pl.col("status").replace_strict(STATUS, default="—").alias("红黄绿"),
        pl.col("key_level").replace_strict(KEY_LEVEL, default=None).alias("级别"),
        pl.col("leader").alias("包联领导"),
        pl.col("unit_name").alias("县区/开发区"),
        pl.col("status_reason").alias("判定依据"),
        pl.col("total_investment_wan").round(0).alias("总投资（万元）"),
        pl.col("annual_plan_wan").round(0).alias("年度计划投资（万元）"),
        pl.col("completed_ytd_wan").round(0).alias("年累计完成（万元）"),
        pl.col("completion_rate").alias("完成率"),
        pl.col("progress_text").alias("形象进度"),
        pl.col("project_code").alias("项目代码"),
        pl.when(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
          .then(pl.lit("已上图")).otherwise(pl.lit("未报送")).alias("坐标"),
        by_value(df, "project_code", lambda c: dossier_link(dossier_href, c)).alias("项目档案"),
    )


def mobile_list_html(df: pl.DataFrame, dossier_href: str = "/dossier", limit: int = 60) -> str:
    """The filtered projects as thumb-sized cards (red first, then by investment): name, county,
    level, 红黄绿, 包联领导, investment and rate, and its most pressing open problem with its
    责任单位; each card opens the project's file."""
    order = {"red": 0, "yellow": 1, "green": 2}
    d = (df.with_columns(pl.col("status").replace_strict(order, default=3).alias("_o"))
         .sort(["_o", "total_investment_wan"], descending=[False, True], nulls_last=True).head(limit))
    items = [cards.Card(
        href=dossier_link(dossier_href, r["project_code"]), title=r["name"], status=r["status"],
        lines=(" · ".join([r["unit_name"] or "—", cards.level_text(r["key_level"]), STATUS.get(r["status"], "未判定")]),
               cards.leader_text(r["leader"], r.get("leader_title")),
               f"总投资{money(r['total_investment_wan'])} · 完成率{pct(r['completion_rate'])}")
        + problem_lines(r))
        for r in d.iter_rows(named=True)]
    return cards.cards_html(items)


def problem_lines(r: dict) -> tuple[str, ...]:
    """A project's most pressing open problem on its card (a row of queries/map_projects.sql):
    what, how late and whose; none when it has no open problem."""
    if not r.get("open_problems"):
        return ()
    more = f"（共{r['open_problems']:,}个未销号）" if r["open_problems"] > 1 else ""
    late = f"逾期{r['problem_days_overdue']}天" if r.get("problem_overdue") else "未超期"
    return (f"问题：{r['problem_description'] or '（未填写问题描述）'}{more}",
            f"{late} · 责任单位：{r['problem_unit'] or '未明确'}")


# ---------------------------------------------------------------- folium

_MARKER_CALLBACK = """(function () {
    var COLORS = %(colors)s, LABELS = %(labels)s, GREY = "%(grey)s";
    function popup(r) {
        var c = COLORS[r[3]] || GREY;
        return '<div class="cp-pop">'
            + '<div class="cp-pop-title">' + r[4] + '</div>'
            + '<div class="cp-pop-status"><span class="cp-dot" style="background:' + c + '"></span>'
            + (LABELS[r[3]] || '—') + (r[12] ? ' · ' + r[12] : '') + '</div>'
            + '<table>'
            + '<tr><th>级别</th><td>' + r[5] + '</td></tr>'
            + '<tr><th>县区</th><td>' + r[6] + '</td></tr>'
            + '<tr><th>总投资</th><td>' + r[7] + '</td></tr>'
            + '<tr><th>年度计划</th><td>' + r[8] + '</td></tr>'
            + '<tr><th>年累计完成</th><td>' + r[9] + '（' + r[10] + '）</td></tr>'
            + '<tr><th>形象进度</th><td>' + r[11] + '</td></tr>'
            + '<tr><th>包联领导</th><td>' + r[13] + '</td></tr>'
            + '</table>'
            + '<a class="cp-pop-link" href="' + r[14] + '" target="_top">查看项目档案 ›</a>'
            + '</div>';
    }
    return function (r) {
        var m = L.circleMarker([r[0], r[1]], {
            radius: r[2], color: "#ffffff", weight: 1.5, fillColor: COLORS[r[3]] || GREY,
            fillOpacity: 0.9, status: r[3], className: "cp-marker cp-" + (r[3] || "none")});
        m.bindTooltip(r[4], {direction: "top", offset: [0, -r[2]]});
        m.bindPopup(function () { return popup(r); }, {maxWidth: 320, minWidth: 230});
        return m;
    };
})()"""

_CLUSTER_ICON = """function (cluster) {
    var children = cluster.getAllChildMarkers(), red = 0;
    for (var i = 0; i < children.length; i++) { if (children[i].options.status === "red") { red++; } }
    var n = children.length, size = n < 10 ? %(s1)d : (n < 100 ? %(s2)d : %(s3)d);
    var badge = red ? '<span class="cp-cluster-red">' + red + '</span>' : '';
    return L.divIcon({
        html: '<div class="cp-cluster" style="width:' + size + 'px;height:' + size + 'px;line-height:' + size
              + 'px">' + n + badge + '</div>',
        className: "cp-cluster-wrap", iconSize: L.point(size, size)});
}"""

# Labels placed so that none covers another, a cluster or a marker, and none leaves the map:
# each development-zone label, then each county name, takes the first free place near its own
# point (tried nearest first; a zone label moved off its ◇ point gets a leader line to it); when
# nothing near is free, the place covering least. Run after every zoom, pan, resize and layer
# switch, and whenever clusters or markers are added or removed. Reads every box first, then
# writes every offset (no layout per label).
_PLACE_LABELS = """(function (map) {
    var root = map.getContainer(), pending = null;
    var DIRS = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];
    var STEPS = [8, 16, 26, 38, 52];
    function box(e) { var r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }
    function shift(b, dx, dy) { return {l: b.l + dx, t: b.t + dy, r: b.r + dx, b: b.b + dy}; }
    function cover(a, b) {
        var w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        return w > 0 && h > 0 ? w * h : 0;
    }
    function outside(b, frame) {
        return Math.max(0, frame.l - b.l) + Math.max(0, b.r - frame.r) + Math.max(0, frame.t - b.t)
            + Math.max(0, b.b - frame.b);
    }
    function place() {
        pending = null;
        root.__placed = (root.__placed || 0) + 1;  // how many times the labels were placed (tests wait on it)
        var frame = box(root), gap = 2;
        frame = {l: frame.l + gap, t: frame.t + gap, r: frame.r - gap, b: frame.b - gap};
        var zones = Array.prototype.slice.call(root.querySelectorAll('.cp-zone'));
        var counties = Array.prototype.slice.call(root.querySelectorAll('.cp-county'));
        var labels = zones.concat(counties);
        labels.forEach(function (e) { e.style.transform = ''; e.classList.remove('cp-moved'); });
        root.querySelectorAll('.cp-leader').forEach(function (e) { e.remove(); });
        var taken = Array.prototype.map.call(
            root.querySelectorAll('.cp-cluster, .cp-cluster-red, path.cp-marker'), box);
        var bases = labels.map(box);
        var offsets = [];
        labels.forEach(function (e, i) {
            var b = bases[i], best = null;
            if (b.r - b.l < 1) { offsets.push([0, 0]); return; }  // hidden
            var tries = [[0, 0]];
            STEPS.forEach(function (d) { DIRS.forEach(function (u) {
                tries.push([u[0] * (d + (b.r - b.l) / 2) * (u[1] ? 0.6 : 1), u[1] * (d + (b.b - b.t) / 2)]); }); });
            for (var k = 0; k < tries.length; k++) {
                var c = shift(b, tries[k][0], tries[k][1]);
                var cost = outside(c, frame) * 1000;
                for (var j = 0; j < taken.length && cost === 0; j++) { cost += cover(c, taken[j]); }
                if (best === null || cost < best.cost) { best = {cost: cost, at: tries[k], box: c}; }
                if (cost === 0) { break; }
            }
            taken.push(best.box);
            offsets.push(best.at);
        });
        labels.forEach(function (e, i) {
            var o = offsets[i];
            if (!o[0] && !o[1]) { return; }
            e.style.transform = 'translate(' + Math.round(o[0]) + 'px,' + Math.round(o[1]) + 'px)';
            e.classList.add('cp-moved');
            if (e.classList.contains('cp-zone')) {  // a line from the zone's point to its label
                var icon = e.parentNode, x = -6, y = -4, tx = o[0] + (o[0] < 0 ? bases[i].r - bases[i].l : 0),
                    ty = o[1] + (o[1] < 0 ? bases[i].b - bases[i].t : 0);
                var line = document.createElement('i');
                line.className = 'cp-leader';
                line.style.left = x + 'px'; line.style.top = y + 'px';
                line.style.width = Math.round(Math.hypot(tx - x, ty - y)) + 'px';
                line.style.transform = 'rotate(' + Math.atan2(ty - y, tx - x) + 'rad)';
                icon.insertBefore(line, e);
            }
        });
    }
    function later() { if (pending === null) { pending = setTimeout(place, 60); } }
    map.on('zoomend moveend resize overlayadd overlayremove layeradd', later);
    // clusters come and go in batches (chunked loading, zoom animation, spiderfy): watch them
    var watch = new MutationObserver(later);
    watch.observe(map.getPane('markerPane'), {childList: true});
    watch.observe(map.getPane('overlayPane'), {childList: true, subtree: true});
    root.__placeLabels = place;
    later(); setTimeout(later, 400);
})(%(map)s);"""


# A map narrower than a desktop column (a phone, where columns stack) is cut to the height the
# fitted city needs instead of the desktop height (a 640 px map left ~300 px empty under the city
# on a 390 px phone), and starts without the development-zone labels that crowd the centre there
# (one tap on the layer control away, as on the phone map). Runs once the component has set the
# frame height (streamlit-folium's initComponent, after the map's own script).
_NARROW_FIT = """setTimeout(function () {
    var map = %(map)s, el = map.getContainer(), w = el.clientWidth, pad = PAD;
    if (w >= 640) { return; }
    var zones = ZONES;
    if (zones && map.hasLayer(zones)) { map.removeLayer(zones); }
    var b = L.latLngBounds(BOUNDS), z = map.getZoom();
    var nw = map.project(b.getNorthWest(), z), se = map.project(b.getSouthEast(), z);
    var h = Math.round(Math.min(el.clientHeight, Math.max(MIN_H, (w - 2 * pad) * (se.y - nw.y) / (se.x - nw.x) + 2 * pad)));
    if (h < el.clientHeight) {
        el.style.height = h + 'px';
        if (window.Streamlit) { window.Streamlit.setFrameHeight(h); }
        map.invalidateSize(false);
    }
    map.fitBounds(b, {padding: [pad, pad]});
}, 0);"""


# The popups' links (a project's file, a zone's map) open inside the running app when the page
# around the map offers it (app.py's frame script, ui/widgets.py), as its other links do;
# otherwise, or with a modifier key, they load the page in the whole window (target=_top).
_POPUP_LINKS = """document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.cp-pop-link'), app = null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    try { app = window.top.__cockpitFrame; } catch (err) { return; }
    if (app && app.open(a.href)) { e.preventDefault(); }
});"""


_CSS = """<style>
.cp-pop {font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 13px; color: #1f2933;}
.cp-pop-title {font-weight: 700; font-size: 15px; margin-bottom: 4px; line-height: 1.35;}
.cp-pop-status {color: #3e4c59; margin-bottom: 6px;}
.cp-dot {display: inline-block; width: 10px; height: 10px; border-radius: 50%%; margin-right: 5px; vertical-align: -1px;}
.cp-pop table {border-collapse: collapse; width: 100%%;}
.cp-pop th {text-align: left; font-weight: 400; color: #52606d; padding: 2px 10px 2px 0; white-space: nowrap; vertical-align: top;}
.cp-pop td {padding: 2px 0;}
.cp-pop-link {display: block; margin-top: 8px; padding: %(link_pad)s; text-align: center; background: #1f5fa8;
  color: #fff !important; border-radius: 6px; text-decoration: none; font-weight: 600;}
.cp-cluster {background: rgba(31, 95, 168, 0.88); color: #fff; border: 2px solid #fff; border-radius: 50%%;
  text-align: center; font: 600 13px sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.35); position: relative;}
.cp-cluster-red {position: absolute; top: -7px; right: -9px; min-width: 18px; height: 18px; line-height: 18px;
  padding: 0 4px; border-radius: 9px; background: %(red)s; color: #fff; font-size: 11px; border: 1px solid #fff;}
.cp-cluster-wrap {background: transparent; border: 0;}
.cp-county {font: 600 13px "Noto Sans CJK SC", sans-serif; color: #334e68; text-align: center; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events: none;}
.cp-zone {font: 11px "Noto Sans CJK SC", sans-serif; color: %(zone)s; background: rgba(255,255,255,.85);
  border: 1px dashed %(zone)s; border-radius: 4px; padding: 0 4px; white-space: nowrap; display: inline-block;}
.leaflet-container {background: #f4f6f9; font-family: "Noto Sans CJK SC", sans-serif;}
.cp-far .cp-zone-name {display: none;}
.cp-county-label {text-align: center;} .cp-county {display: inline-block;}
.cp-leader {position: absolute; height: 0; border-top: 1px solid %(zone)s; transform-origin: 0 0; pointer-events: none;}
%(extra)s
</style>"""

_MOBILE_CSS = """
.leaflet-touch .leaflet-bar a {width: 44px; height: 44px; line-height: 44px; font-size: 24px;}
.leaflet-touch .leaflet-control-layers-toggle {width: 44px; height: 44px;}
.cp-pop {font-size: 15px;} .cp-pop-title {font-size: 16px;}
"""


class ClientMarkers(FastMarkerCluster):
    """FastMarkerCluster whose rows are written as compact UTF-8 JSON (safe inside <script>)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var callback = {{ this.callback_js }};
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                {%- if this.icon_create_function is not none %}
                cluster.options.iconCreateFunction = {{ this.icon_create_function.strip() }};
                {%- endif %}
                var markers = [];
                for (var i = 0; i < data.length; i++) { markers.push(callback(data[i])); }
                cluster.addLayers(markers);
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}""")

    def __init__(self, rows: list[list], callback: str, **kwargs):
        super().__init__([], callback=callback, **kwargs)
        self.callback_js = callback
        self.data_json = script_json(rows)


class MapScript(branca.element.MacroElement):
    """A line of JavaScript run on the map (%(map)s stands for the map variable)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this.code % {"map": this._parent.get_name()} }}
        {% endmacro %}""")

    def __init__(self, code: str):
        super().__init__()
        self._name = "MapScript"
        self.code = code


class ZoneLabels(branca.element.MacroElement):
    """Development zones as labelled, clearly approximate markers with a popup (no jQuery needed,
    unlike folium.Popup). Rows: [lat, lon, label html, tooltip, popup html], all escaped."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var zones = {{ this.data_json }};
                for (var i = 0; i < zones.length; i++) {
                    var z = zones[i];
                    var m = L.marker([z[0], z[1]], {icon: L.divIcon({html: z[2], className: "cp-zone-label",
                                                                    iconSize: null, iconAnchor: [-6, -4]})});
                    m.bindTooltip(z[3]);
                    m.bindPopup(z[4], {maxWidth: 300, minWidth: 230});
                    m.addTo({{ this._parent.get_name() }});
                }
            })();
        {% endmacro %}""")

    def __init__(self, rows: list[list]):
        super().__init__()
        self._name = "ZoneLabels"
        self.data_json = script_json(rows)


def script_json(obj) -> str:
    """JSON that is safe to put inside a <script> element (no `<`, `>`, `&`, line separators)."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def use_local_assets(m: folium.Map, static_base: str = "/app/static") -> folium.Map:
    """Point every JS/CSS link of the map at static/vendor/; refuse anything without a local copy."""
    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    for el in walk(m):
        if not isinstance(el, folium.elements.JSCSSMixin):
            continue
        for attr in ("default_js", "default_css"):
            local = []
            for name, url in getattr(el, attr):
                if name not in VENDOR:
                    raise ValueError(f"{type(el).__name__} needs {url}, which is not shipped under static/vendor/")
                if VENDOR[name]:
                    local.append((name, f"{static_base.rstrip('/')}/{VENDOR[name]}"))
            setattr(el, attr, local)  # an instance list: folium's class lists stay untouched
    return m


def _fit(unit: str | None, crs: str) -> list[list[float]]:
    """[[south, west], [north, east]] for the selected county (a zone's host county) or the city."""
    return [list(corner) for corner in _fit_cached(unit, crs)]


@lru_cache(maxsize=64)
def _fit_cached(unit: str | None, crs: str) -> tuple[tuple[float, float], tuple[float, float]]:
    code = ZONE_HOST.get(unit, unit) if unit else None
    fc = geo.county_boundaries(crs)
    feats = [f for f in fc["features"] if code is None or str(f["properties"]["adcode"]) == code] or fc["features"]
    xs = [x for f in feats for poly in f["geometry"]["coordinates"] for ring in poly for x, _ in ring]
    ys = [y for f in feats for poly in f["geometry"]["coordinates"] for ring in poly for _, y in ring]
    return (min(ys), min(xs)), (max(ys), max(xs))


def project_map(df: pl.DataFrame, *, provider: TileProvider = NO_TILES, unit: str | None = None,
                dossier_href: str = "/dossier", map_href: str = "/map", static_base: str = "/app/static",
                mobile: bool = False, height: int = 640) -> folium.Map:
    """The key-project map: county boundaries, development zones (approximate places), projects.

    df: rows of queries/map_projects.sql (lon/lat WGS84; rows without them are skipped).
    """
    crs = provider.crs
    m = folium.Map(tiles=None, location=[39.95, 113.6], zoom_start=8, min_zoom=6, max_zoom=18,
                   control_scale=False, height=height, zoom_control=False)
    # without tiles folium leaves the zoom range out; markercluster needs maxZoom. Quarter steps fit the city.
    m.options.update(min_zoom=6, max_zoom=18, zoom_snap=0.25, zoom_delta=0.5)
    if provider.url:
        folium.TileLayer(provider.url, attr=provider.attr, name=provider.label, max_zoom=provider.max_zoom,
                         subdomains=provider.subdomains or "abc", control=False).add_to(m)
        if provider.labels_url:
            folium.TileLayer(provider.labels_url, attr=provider.attr, name=f"{provider.label}注记",
                             max_zoom=provider.max_zoom, subdomains=provider.subdomains or "abc",
                             control=False).add_to(m)

    host = ZONE_HOST.get(unit, unit) if unit else None
    fill = 0.0 if provider.url else 0.55
    # county names sit above the markers and clusters (markers 600 < labels 650) and let taps
    # through to them, so a cluster never hides a county's name
    folium.map.CustomPane("county-labels", z_index=650, pointer_events=False).add_to(m)
    boundaries = folium.FeatureGroup(name="县区边界", control=True).add_to(m)
    folium.GeoJson(
        geo.county_boundaries(crs), name="县区边界",
        style_function=lambda f: {
            "color": "#1f5fa8" if str(f["properties"]["adcode"]) == host else "#52606d",
            "weight": 2.6 if str(f["properties"]["adcode"]) == host else 1.2,
            "fillColor": "#e8eef5" if str(f["properties"]["adcode"]) == host else "#ffffff",
            "fillOpacity": fill, "className": "cp-county-shape"},
        highlight_function=lambda f: {"weight": 2.2, "color": "#1f5fa8"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(boundaries)
    folium.GeoJson(geo.city_outline(crs), name="大同市界", interactive=False,
                   style_function=lambda f: {"color": "#243b53", "weight": 2.4, "fill": False,
                                             "className": "cp-city-outline"}).add_to(boundaries)
    for code, (name, lon, lat) in geo.county_label_points(crs).items():
        folium.Marker([lat, lon], interactive=False, pane="county-labels", icon=folium.DivIcon(
            html=f'<div class="cp-county">{escape(name)}</div>', icon_size=(90, 18), icon_anchor=(45, 9),
            class_name="cp-county-label")).add_to(boundaries)

    zone_rows = []
    seats = geo.county_seats(crs)
    counties = {c: n for c, (n, _, _) in geo.county_label_points(crs).items()}
    for z in zone_summary(df).iter_rows(named=True):
        lon, lat = seats[z["host_code"]]
        note = (f"开发区无官方边界数据，图标标在所在县区（{counties[z['host_code']]}）政府驻地附近，"
                f"仅示意位置；开发区项目按报送坐标上图。")
        popup = (f'<div class="cp-pop"><div class="cp-pop-title">{escape(z["zone_name"])}</div>'
                 f'<div class="cp-pop-status">{escape(note)}</div><table>'
                 f'<tr><th>重点工程</th><td>{z["projects"]:,}个</td></tr>'
                 f'<tr><th>红黄绿</th><td>红 {z["red"]} · 黄 {z["yellow"]} · 绿 {z["green"]}</td></tr>'
                 f'<tr><th>总投资</th><td>{escape(money(z["total_wan"]))}</td></tr></table>'
                 f'<a class="cp-pop-link" href="{escape(map_href)}?unit={quote(z["zone_code"])}" target="_top">'
                 f'只看该开发区项目 ›</a></div>')
        label = f'<div class="cp-zone">◇<span class="cp-zone-name"> {escape(short_zone_name(z["zone_name"]))}</span></div>'
        zone_rows.append([round(lat, 6), round(lon, 6), label, escape(f"{z['zone_name']}（示意位置）"), popup])
    # on a phone the zone labels crowd the city: off at first, one tap on the layer control away
    zones = folium.FeatureGroup(name="开发区（示意位置）", control=True, show=not mobile).add_to(m)
    ZoneLabels(zone_rows).add_to(zones)

    small, large = (10.0, 24.0) if mobile else (6.0, 20.0)
    rows = marker_rows(df, crs=crs, dossier_href=dossier_href, small=small, large=large)
    callback = _MARKER_CALLBACK % {"colors": script_json(STATUS_COLOR), "labels": script_json(STATUS),
                                   "grey": NO_STATUS_COLOR}
    s = (38, 44, 52) if mobile else (32, 38, 46)
    ClientMarkers(rows, callback=callback, name="重点工程",
                  icon_create_function=_CLUSTER_ICON % {"s1": s[0], "s2": s[1], "s3": s[2]},
                  options={"maxClusterRadius": 60, "disableClusteringAtZoom": 13, "spiderfyOnMaxZoom": True,
                           "showCoverageOnHover": False, "chunkedLoading": True}).add_to(m)

    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    MapScript("L.control.scale({imperial: false, position: 'bottomleft'}).addTo(%(map)s);").add_to(m)
    # Leaflet's own prefix is a link with a national flag: not for a Chinese government map
    MapScript("%(map)s.attributionControl.setPrefix(" + script_json(ATTRIBUTION) + ");").add_to(m)
    # at the city's zoom the zones' names crowd the county names in the centre: only their ◇ (with
    # the name on hover) until the map is zoomed in
    MapScript("var c = %(map)s.getContainer(), z = function () { c.classList.toggle('cp-far', %(map)s.getZoom() < 9.5); };"
              "%(map)s.on('zoomend', z); z();").add_to(m)
    MapScript(_PLACE_LABELS).add_to(m)
    MapScript(_POPUP_LINKS).add_to(m)
    # Leaflet's controls say "Zoom in", "Zoom out", "Layers" on hover: in Chinese here
    MapScript("L.control.zoom({zoomInTitle: '放大', zoomOutTitle: '缩小', position: 'topleft'}).addTo(%(map)s);"
              "%(map)s.getContainer().querySelectorAll('.leaflet-control-layers-toggle')"
              ".forEach(function (a) { a.title = '图层'; a.setAttribute('aria-label', '图层'); });").add_to(m)
    m.get_root().header.add_child(branca.element.Element(_CSS % {
        "red": STATUS_COLOR["red"], "zone": ZONE_COLOR, "link_pad": "10px 0" if mobile else "6px 0",
        "extra": _MOBILE_CSS if mobile else ""}), name="cockpit_map_css")
    # padding keeps the edge counties' names and clusters (天镇县, 广灵县 in the east) inside a
    # narrow phone map: a cluster disc (up to 52 px) with its red badge reaches 35 px from its point
    fit = _fit(unit, crs)
    m.fit_bounds(fit, padding=(FIT_PAD, FIT_PAD))
    MapScript(_NARROW_FIT.replace("BOUNDS", script_json(fit)).replace("ZONES", zones.get_name())
              .replace("MIN_H", str(NARROW_MIN_HEIGHT)).replace("PAD", str(FIT_PAD))).add_to(m)
    return use_local_assets(m, static_base)


# ---------------------------------------------------------------- pydeck

def _rgb(hex_color: str, alpha: int = 220) -> list[int]:
    h = hex_color.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def investment_deck(df: pl.DataFrame, *, style: str = "/app/static/blank-style.json", height: int = 640) -> pdk.Deck:
    """Total investment of key projects as 3-D columns over the county boundaries (no base map by default).

    df: rows of queries/map_projects.sql; coordinates stay WGS84 (the blank style has no tiles).
    """
    d = df.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
    largest = (d["total_investment_wan"].max() or 1.0) if d.height else 1.0
    data = [{
        "lon": r["lon"], "lat": r["lat"],
        "height": float(r["total_investment_wan"] or 0.0),
        "color": _rgb(STATUS_COLOR.get(r["status"], NO_STATUS_COLOR)),
        "name": escape(r["name"]),
        "unit": escape(r["unit_name"] or "—"),
        "level": escape(KEY_LEVEL.get(r["key_level"], r["key_level"] or "—")),
        "total": escape(money(r["total_investment_wan"])),
        "ytd": escape(money(r["completed_ytd_wan"])),
        "rate": escape(pct(r["completion_rate"])),
        "status": escape(STATUS.get(r["status"], "—")),
        "leader": escape(_leader(r["leader"], r.get("leader_title"))),
    } for r in d.iter_rows(named=True)]
    # labels float 3 km up: at ground level they z-fight with the county polygons and lose strokes
    labels = [{"name": n, "lon": x, "lat": y, "z": 3000} for n, x, y in geo.county_label_points("wgs84").values()]
    layers = [
        pdk.Layer("GeoJsonLayer", geo.county_boundaries("wgs84"), id="counties", stroked=True, filled=True,
                  get_fill_color=[232, 238, 245, 200], get_line_color=[82, 96, 109, 255], line_width_min_pixels=1),
        pdk.Layer("ColumnLayer", data, id="projects", get_position=["lon", "lat"], get_elevation="height",
                  elevation_scale=30000.0 / largest, radius=900, get_fill_color="color", pickable=True,
                  extruded=True, auto_highlight=True),
        pdk.Layer("TextLayer", labels, id="county-names", get_position=["lon", "lat", "z"], get_text="name",
                  get_size=16, get_color=[36, 59, 83, 255], character_set='"auto"', font_weight=700,
                  font_family='"Noto Sans CJK SC, Microsoft YaHei, sans-serif"', billboard=True,
                  outline_width=3, outline_color=[255, 255, 255, 230], font_settings={"sdf": True}),
    ]
    tooltip = {"html": "<b>{name}</b><br/>{unit} · {level}<br/>总投资 {total}<br/>年累计完成 {ytd}（{rate}）"
                       "<br/>红黄绿：{status} · 包联 {leader}",
               "style": {"fontSize": "13px", "fontFamily": "Noto Sans CJK SC, sans-serif"}}
    view = pdk.ViewState(longitude=113.62, latitude=39.80, zoom=7.95, pitch=50, bearing=-10)
    return pdk.Deck(layers=layers, initial_view_state=view, map_style=style, tooltip=tooltip, height=height)
