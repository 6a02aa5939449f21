"""The key-project map: queries and filters, offline assets, escaping, tile configuration, markers
inside Datong, and both map pages under AppTest."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import folium
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import markup, page_test

import queries
from etl.boundary import in_datong
from map_data import HOSTILE, HOSTILE_CODE, HOSTILE_LEADER, QUOTED, hostile_db, use_hostile_db  # noqa: F401
from ui import geo, maps

ROOT = Path(__file__).resolve().parent.parent
OCT = dt.date(2026, 10, 1)
A, B, F, G = ("2025-140213-44-01-000001", "2024-140213-44-01-000002", "2026-140215-44-01-000005",
              "2026-140213-44-01-000006")
NO_FILTER = {"unit": None, "level": None, "status": None, "six_new": None, "leader": None}


def _codes(**kw) -> set[str]:
    return set(queries.run("map_projects", period=OCT, **{**NO_FILTER, **kw})["project_code"])


# ---------------------------------------------------------------- queries

@pytest.mark.parametrize("filters,expected", [
    ({}, {A, B, F, G}),  # the four key projects of 2026-10 (C, E are not key; D is reserve)
    ({"status": "red"}, {B, F}),
    ({"status": "red,green"}, {A, B, F, G}),
    ({"status": "yellow"}, set()),
    ({"level": "municipal"}, {A, F}),
    ({"level": "province_managed"}, {G}),
    ({"unit": "140213"}, {A, B}),  # 平城区 without the zone's project
    ({"unit": "140271"}, {G}),  # 大同经济技术开发区
    ({"six_new": "新材料"}, {A}),
    ({"leader": "王建国"}, {A, G}),
    ({"leader": "王建国", "status": "red"}, set()),
])
def test_map_projects_filters(fixture_db, filters, expected):
    assert _codes(**filters) == expected


def test_map_projects_row(fixture_db):
    df = queries.run("map_projects", period=OCT, **NO_FILTER)
    b = df.filter(pl.col("project_code") == B).row(0, named=True)
    assert (b["name"], b["status"], b["leader"], b["total_investment_wan"], b["annual_plan_wan"],
            b["completed_ytd_wan"]) == ("平城区供热管网改造工程", "red", "李明", 80000, 20000, 10000)
    assert (round(b["lon"], 5), round(b["lat"], 5)) == (113.31347, 40.0851)
    # counties in the official order, then zones; red first within a county
    assert df["project_code"].to_list() == [B, A, F, G]
    # its most pressing open problem and whose it is, for the list's cards (A's other one is closed;
    # F has none)
    assert (b["open_problems"], b["problem_description"], b["problem_overdue"], b["problem_days_overdue"],
            b["problem_unit"]) == (1, "资金缺口3000万元", True, 61, "市财政局")
    a = df.filter(pl.col("project_code") == A).row(0, named=True)
    assert (a["open_problems"], a["problem_description"], a["problem_overdue"]) == (1, "施工许可办理慢", False)
    cards = {c.split('"', 1)[0]: c for c in maps.mobile_list_html(df).split('href="/dossier?project=')[1:]}
    assert "问题：资金缺口3000万元" in cards[B] and "逾期61天 · 责任单位：市财政局" in cards[B]
    assert "问题：施工许可办理慢" in cards[A] and "未超期 · 责任单位：" in cards[A]
    assert df.filter(pl.col("project_code") == F)["open_problems"].item() == 0 and "问题：" not in cards[F]


def test_map_options(fixture_db):
    opts = queries.run("map_options", period=OCT)
    leaders = opts.filter(pl.col("kind") == "leader")
    assert leaders["value"].to_list() == ["王建国", "李明"]  # most projects first
    assert set(opts.filter(pl.col("kind") == "six_new")["value"]) == {"新材料", "新装备"}


def test_every_marker_inside_datong(fixture_db, hostile_db):
    """Every project coordinate in the warehouse lies inside Datong's outline (the ETL quarantines
    the rest), and so does every marker the map draws, in both coordinate systems."""
    for db in (fixture_db, hostile_db):
        df = queries.run("map_projects", db=db, period=OCT, **NO_FILTER)
        pts = df.filter(pl.col("lon").is_not_null())
        assert pts.height >= 2
        assert all(in_datong(x, y) for x, y in zip(pts["lon"], pts["lat"]))
        for crs in ("wgs84", "gcj02"):
            for row in maps.marker_rows(df, crs=crs):
                lon, lat = row[1], row[0]
                if crs == "gcj02":
                    lon, lat = geo.gcj_to_wgs(lon, lat)
                assert in_datong(lon, lat)


def test_sample_data_markers_inside_datong(tmp_path):
    """The realistic sample's coordinates, when the generator is available."""
    sample = pytest.importorskip("etl.sample")
    if not hasattr(sample, "build_programme"):
        pytest.skip("sample generator not available")
    prog = sample.build_programme(scale=0.2)
    points = [(p.lon, p.lat) for p in getattr(prog, "projects", []) if getattr(p, "lon", None) is not None]
    if not points:
        pytest.skip("sample programme exposes no coordinates")
    assert all(in_datong(x, y) for x, y in points)


# ---------------------------------------------------------------- pure builders

def _frame(**over) -> pl.DataFrame:
    row = {"project_code": "X-1", "name": "测试项目", "key_level": "municipal", "unit_code": "140213",
           "unit_name": "平城区", "county_code": "140213", "county_name": "平城区", "zone_code": None,
           "zone_name": None, "sector": "工业", "six_new_type": None, "total_investment_wan": 50000.0,
           "annual_plan_wan": 10000.0, "completed_month_wan": 100.0, "completed_ytd_wan": 8000.0,
           "completion_rate": 0.8, "gap_pts": 3.3, "progress_text": "主体施工", "status": "green",
           "status_reason": "落后序时进度3.3个百分点", "leader": "王建国", "leader_title": "副市长",
           "lon": 113.30347, "lat": 40.08510, "unit_order": 0}
    row.update(over)
    return pl.DataFrame([row])


def test_marker_radius_grows_with_investment():
    assert maps.marker_radius(None, 100) == 6.0
    assert maps.marker_radius(0, 100) == 6.0
    assert maps.marker_radius(100, 100) == 20.0
    assert maps.marker_radius(25, 100) == 13.0  # area ∝ investment: sqrt(1/4) of the way
    assert maps.marker_radius(500, 100) == 20.0


def test_marker_rows_escape_and_link():
    rows = maps.marker_rows(_frame(name=HOSTILE, leader=HOSTILE_LEADER, leader_title=None, project_code="A&B 1"))
    (row,) = rows
    assert row[4] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert row[13] == "&lt;img src=x onerror=alert(2)&gt;"
    assert row[14] == "/dossier?project=A%26B%201"
    assert row[7] == "5.00亿元" and row[8] == "1.00亿元" and row[9] == "8,000万元" and row[10] == "80.0%"
    assert maps.marker_rows(_frame(lon=None)) == []


def test_gcj_map_moves_points_and_boundaries():
    (w,) = maps.marker_rows(_frame(), crs="wgs84")
    (g,) = maps.marker_rows(_frame(), crs="gcj02")
    assert 0.006 < g[1] - w[1] < 0.0072 and 0.0009 < g[0] - w[0] < 0.0015


def _rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_map_is_offline_and_escaped():
    df = pl.concat([_frame(), _frame(project_code="X-2", name=HOSTILE, status="red", leader=HOSTILE_LEADER,
                                     progress_text="<i>x</i>", lon=113.31, lat=40.09)])
    m = maps.project_map(df)
    html = _rendered(m)
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert links, "the map loads Leaflet from somewhere"
    assert all(u.startswith("/app/static/vendor/") for u in links), links
    for u in links:
        assert (ROOT / "static" / u.removeprefix("/app/static/")).is_file(), u
    assert "$(" not in html  # no jQuery is shipped, so nothing may need it
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    data = json.loads(re.search(r"var data = (\[\[.*?\]\]);", html).group(1))
    names = {r[4] for r in data}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in names


def test_use_local_assets_refuses_unknown_cdn():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(ValueError, match="not shipped"):
        maps.use_local_assets(m)


def test_zone_summary_and_labels():
    df = pl.concat([_frame(zone_code="140271", zone_name="大同经济技术开发区", status="red"),
                    _frame(project_code="X-2", zone_code="140271", zone_name="大同经济技术开发区"), _frame()])
    z = maps.zone_summary(df)
    assert z.height == 5  # every zone is drawn, with or without projects
    etdz = z.filter(pl.col("zone_code") == "140271").row(0, named=True)
    assert (etdz["projects"], etdz["red"], etdz["green"], etdz["total_wan"]) == (2, 1, 1, 100000.0)
    html = _rendered(maps.project_map(df))
    assert "大同经开区" in html and "示意位置" in html


def test_deck_escapes_and_uses_local_style():
    deck = maps.investment_deck(_frame(name=HOSTILE, leader=HOSTILE_LEADER))
    j = deck.to_json()
    assert "<script>alert(1)</script>" not in j and "&lt;script&gt;" in j
    spec = json.loads(j)
    assert spec["mapStyle"] == "/app/static/blank-style.json"
    assert (ROOT / "static" / "blank-style.json").is_file()
    assert json.loads((ROOT / "static" / "blank-style.json").read_text())["sources"] == {}


def test_project_table_and_status_line():
    df = pl.concat([_frame(), _frame(project_code="X-2", name=HOSTILE, status="red", lon=None, lat=None)])
    t = maps.project_table(df)
    assert t.columns[:4] == ["项目名称", "红黄绿", "级别", "包联领导"]  # what a leader asks first
    assert t["坐标"].to_list() == ["已上图", "未报送"]
    assert t["项目档案"][0] == "/dossier?project=X-1"
    line = maps.status_line(df, HOSTILE)
    assert "<script>alert" not in line and "2</b>个重点工程" in line and "10.00亿元" in line
    many = maps.status_line(pl.concat([df] * 600), "全市")  # a city's count reads like the tables
    assert "1,200</b>个重点工程" in many and "红 <b>600</b>" in many and "已上图 600个" in many


def test_mobile_list_red_first_and_escaped():
    df = pl.concat([_frame(), _frame(project_code="X-2", name=HOSTILE, status="red", total_investment_wan=1.0)])
    html = maps.mobile_list_html(df)
    assert html.index("X-2") < html.index("X-1")
    assert "<script>alert" not in html and 'target="_self"' in html


# ---------------------------------------------------------------- configuration

def test_tiles_default_to_none_offline():
    cfg = maps.load_config(env={})
    assert list(cfg.providers) == ["none"] and cfg.default == "none"
    assert cfg.providers["none"].url is None
    assert cfg.deck_style == "/app/static/blank-style.json"


def test_tiles_offered_by_environment():
    env = {"COCKPIT_MAP_OFFER": "none,osm,tianditu,amap", "COCKPIT_MAP_TILES": "amap"}
    cfg = maps.load_config(env=env)
    assert list(cfg.providers) == ["none", "osm", "amap"]  # 天地图 needs a key
    assert cfg.default == "amap" and cfg.providers["amap"].crs == "gcj02" and cfg.providers["osm"].crs == "wgs84"
    cfg = maps.load_config(env={**env, "TIANDITU_KEY": "abc123"})
    assert "tk=abc123" in cfg.providers["tianditu"].url and cfg.providers["tianditu"].crs == "wgs84"


def test_amap_draws_gcj_boundaries():
    amap = maps.load_config(env={"COCKPIT_MAP_OFFER": "amap"}).providers["amap"]
    html = _rendered(maps.project_map(_frame(), provider=amap))
    assert "webrd0{s}.is.autonavi.com" in html
    gcj_vertex = geo.county_boundaries("gcj02")["features"][0]["geometry"]["coordinates"][0][0][0]
    assert f"{gcj_vertex[0]}, {gcj_vertex[1]}" in html or f"{gcj_vertex[0]},{gcj_vertex[1]}" in html


# ---------------------------------------------------------------- pages (AppTest)

def _component_args(at: AppTest) -> list[dict]:
    out = []
    for el in at.get("component_instance"):
        out.append(json.loads(el.proto.json_args))
    return out


def _texts(at: AppTest) -> str:
    return " ".join([markup(at)] + [c.value for c in at.caption] + [t.value for t in at.title])


def test_map_page_with_filters(fixture_db):
    at = page_test("map")
    at.query_params.update({"period": "2026-10", "status": "red", "leader": "李明"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert "数据截至2026年10月31日" in texts
    assert "<b>1</b>个重点工程" in texts and "8.00亿元" in texts
    (args,) = _component_args(at)
    assert args["returned_objects"] == []  # panning and zooming do not rerun the page
    assert "平城区供热管网改造工程" in args["script"] and "平城区新型碳材料项目" not in args["script"]
    assert all(u.startswith("/app/static/vendor/") for u in args["js_links"] + args["css_links"])
    table = at.dataframe[0].value
    assert table["项目名称"].tolist() == ["平城区供热管网改造工程"]


def test_map_page_3d_view(fixture_db):
    at = page_test("map")
    at.query_params.update({"view": "deck"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapStyle"] == "/app/static/blank-style.json"
    assert [layer["@@type"] for layer in deck["layers"]] == ["GeoJsonLayer", "ColumnLayer", "TextLayer"]


def test_map_page_escapes_hostile_names(use_hostile_db):
    at = page_test("map").run()
    assert not at.exception, [e.value for e in at.exception]
    (args,) = _component_args(at)
    for raw in (HOSTILE, HOSTILE_LEADER, QUOTED, "<i>主体完工</i>"):
        assert raw not in args["script"] and raw not in args["header"]
    # the rows are JSON inside <script>, where `&` is written \u0026
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in args["script"]
    assert HOSTILE in at.dataframe[0].value["项目名称"].tolist()  # tables show it as plain text


def test_mobile_page(use_hostile_db):
    at = page_test("mobile")
    at.query_params.update({"unit": "140213"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = markup(at)
    assert "数据截至2026年10月31日" in html
    assert f"/dossier?project={HOSTILE_CODE}" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE not in html
    assert html.index("平城区供热管网改造工程") < html.index("平城区新型碳材料项目")  # red first
    (args,) = _component_args(at)
    assert args["returned_objects"] == [] and args["height"] == 460
