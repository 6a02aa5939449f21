"""A leader's everyday questions on a 390 px phone, in the real server and headless Chromium, on the
fixture warehouse (tests/fixtures.py, 2026-10): each opens the home page, counts the taps until the
answer is on screen (inside the viewport, not below the fold) and times it from opening the home
page, twice: when the answer was painted (seen from inside the page, before each frame) and when the
test could read it from outside (each read waits while the phone is busy drawing the rest of the
page, as a tap would). The goal is at most two taps and 3 s; the taps are asserted, the seconds and
each step's long tasks recorded (they depend on the machine's load): artifacts/screenshots/phone_questions.txt, printed at the end, and
a screenshot of each answer: artifacts/screenshots/question_<n>.png (git-ignored).
"""

from __future__ import annotations

import os
import time

import pytest

from browser import ARTIFACTS, PHONE, open_page, answered, rerun, screenshot, server_messages, wait_ready

playwright = pytest.importorskip("playwright.sync_api")

HOME = "/overview?period=2026-10"
MAX_TAPS = 2


class Walk:
    """One question on a signed-in phone: the home page opened afresh, then taps, each made as soon
    as what it taps is on screen (a leader does not wait for the page to settle either). `answer`
    waits until texts are on screen and returns the seconds from opening the home page."""

    def __init__(self, page, base: str):
        self.page, self.base, self.taps = page, base, 0
        if getattr(page.context, "_cockpit_user", None) is None:  # the module's first walk
            open_page(page, base + HOME, wait_text="数据截至")  # signed in, the server warm
        self.t0 = time.perf_counter()
        page.goto(base + HOME)
        self.marks = [0.0]  # browser time (ms since the home page opened) of each tap and the answer

    def tap(self, selector: str, text: str = "") -> None:
        """One tap on the first element matching the CSS `selector` whose text holds `text`, made
        as a finger makes it: REACTION_MS after it is painted inside the viewport, handled by the
        phone once the task it is busy with (drawing the rest of the page) ends. The page itself
        watches for the target before each frame and sets the tap off: a test reading the page
        from outside learns of it late (each read waits for the drawing), and Playwright's own tap
        first checks, in several more such reads, that the target is visible, stable over two
        frames and not covered — a second or more in all, which no finger waits for."""
        self.taps += 1
        before, heard = self.page.url, server_messages(self.page)
        self.page.evaluate(FINGER_JS, [selector, text, REACTION_MS])
        self.page.wait_for_function("window.__tapped", timeout=60_000, polling=50)
        tapped = self.page.evaluate("window.__tapped")
        self.marks.append(tapped["t"])
        if tapped["navigates"]:  # not the answer still showing on the page left behind
            self.page.wait_for_url(lambda u: u != before, timeout=60_000)
            # and the server has answered: until then the page left behind is on screen
            answered(self.page, heard)

    def on_screen(self, text: str) -> bool:
        """`text` is visible inside the viewport (a phone shows no more without scrolling)."""
        height = self.page.viewport_size["height"]
        for el in self.page.get_by_text(text).all():
            if not el.is_visible():
                continue
            box = el.bounding_box()
            if box and box["y"] >= 0 and box["y"] + box["height"] <= height:
                return True
        return False

    def answer(self, *texts: str) -> float:
        self.page.evaluate(PAINT_JS, list(texts))
        deadline = time.time() + 60
        while time.time() < deadline and not all(self.on_screen(t) for t in texts):
            self.page.wait_for_timeout(100)
        seconds = time.perf_counter() - self.t0
        self.marks.append(self.page.evaluate("performance.now()"))
        missing = [t for t in texts if not self.on_screen(t)]
        assert not missing, f"not on screen after {self.taps} taps: {missing}"
        painted = self.page.evaluate("window.__painted")
        # the home page's clock starts with its navigation, a moment after t0
        assert painted is not None, f"the page never painted {texts} inside the viewport"
        self.painted = painted / 1000
        wait_ready(self.page, timeout_ms=60_000)  # the next question starts from a quiet page
        return seconds


REACTION_MS = 300  # from seeing a target to touching it

# A finger: once the element is painted inside the viewport (scrolled there first if it is below
# the fold, as a thumb would), a click REACTION_MS later, as a timer: it runs when the page's
# current task ends, like a touch. Its moment is window.__tapped.
FINGER_JS = """([selector, text, reaction]) => {
  window.__tapped = null;
  const find = () => [...document.querySelectorAll(selector)].find(e => e.textContent.includes(text));
  const frame = () => {
    const el = find();
    const b = el && el.getBoundingClientRect();
    if (!el || !b.height || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
      requestAnimationFrame(frame);
      return;
    }
    if (b.top < 0 || b.bottom > innerHeight) {
      el.scrollIntoView({block: "center"});
      requestAnimationFrame(frame);
      return;
    }
    setTimeout(() => {
      const found = find() || el;  // a wrapper's own button, link or summary takes the tap
      const target = found.matches("a, button, summary") ? found : found.querySelector("a, button, summary") || found;
      window.__tapped = {t: performance.now(), navigates: target.tagName === "A" && !!target.getAttribute("href")};
      target.click();
    }, reaction);
  };
  requestAnimationFrame(frame);
}"""


# The moment the answer is painted, seen from inside the page: a check before each frame is drawn
# (requestAnimationFrame) of whether every text is inside the viewport. The polling above reads the
# page from outside, and each of its reads waits while the phone is busy drawing the rest of the
# page (a chart, a table below the answer): it says when the answer is on screen AND the page
# answers again. The check starts when the last tap has been made, so a fast page's answer counts
# from a little later than it was drawn, never earlier.
PAINT_JS = """(texts) => {
  window.__painted = null;
  const start = performance.now();
  const inView = t => {
    const q = JSON.stringify(t);  // the innermost elements holding the text
    const found = document.evaluate(`//*[contains(., ${q})][not(*[contains(., ${q})])]`, document.body, null,
                                    XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (let i = 0; i < found.snapshotLength; i++) {
      const el = found.snapshotItem(i), b = el.getBoundingClientRect();
      if (b.height > 0 && b.top >= 0 && b.bottom <= innerHeight && el.checkVisibility({opacityProperty: true})) {
        return true;
      }
    }
    return false;
  };
  const frame = () => {
    if (texts.every(inView)) { window.__painted = performance.now(); return; }
    if (performance.now() - start < 60000) { requestAnimationFrame(frame); }
  };
  requestAnimationFrame(frame);
}"""


# The main thread's long tasks, recorded in the browser from the home page's first byte.
TRACE_JS = """(() => {
  if (window.__trace) { return; }
  const T = window.__trace = {long: []};
  new PerformanceObserver(l => { for (const e of l.getEntries()) { T.long.push([e.startTime, e.duration]); } })
    .observe({type: "longtask", buffered: true});
})();"""


def breakdown(w: Walk) -> str:
    """Each step of a walk (the home page opening, each tap) until the next tap or the answer: its
    seconds and the main thread's long tasks in it (over 50 ms each: drawing charts, tables, maps;
    a tap made meanwhile waits), with the longest one."""
    trace = w.page.evaluate("window.__trace")
    steps = []
    for i, (a, b) in enumerate(zip(w.marks, w.marks[1:])):
        blocked = sum(max(0.0, min(s + d, b) - max(s, a)) for s, d in trace["long"]) / 1000
        longest = max((d for s, d in trace["long"] if a <= s < b), default=0) / 1000
        name = "首页" if i == 0 else f"第{i}次点击后"
        steps.append(f"{name}{(b - a) / 1000:.1f}秒（长任务{blocked:.1f}秒，最长{longest:.1f}秒）")
    return "；".join(steps)


def _late_starts(w: Walk):
    w.tap("a.ans", "计划开工未开工")
    return w.answer("平城区文化街区项目", "已推迟", "包联领导：未明确")


def _red_key_with_leaders(w: Walk):
    w.tap("a.ans", "红色重点工程")
    return w.answer("平城区供热管网改造工程", "省定市管", "包联领导：李明（市长）")


def _project_problem_and_whose(w: Walk):
    # the red key projects' list carries each one's most pressing open problem and whose it is
    w.tap("a.ans", "红色重点工程")
    return w.answer("资金缺口3000万元", "逾期61天", "责任单位：市财政局")


def _project_file_problem(w: Walk):
    # the same, from the project's file: its open problems come first, under its name
    w.tap("a.ans", "红色重点工程")
    w.tap("a.mm-item", "平城区供热管网改造工程")
    return w.answer("资金缺口3000万元", "逾期61天", "责任单位：市财政局", "未销号问题（1个）")


def _why_this_rank(w: Walk):
    # the first and the last one's reasons are in words under the 红榜, every unit's one tap further
    w.tap("a.ans", "比亮晒排名")
    return w.answer("大同经济技术开发区：第1名（85.7分）", "弱项：", "强项：")


def _menu_closes_on_navigation(w: Walk):
    w.tap("[data-testid='stExpandSidebarButton']")
    w.tap("[data-testid='stSidebarNav'] a", "问题清单")
    seconds = w.answer("全市项目问题清单")
    sidebar = w.page.locator("[data-testid='stSidebar']").bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 1, "the menu still covers the page"
    return seconds


# (question, walk): the walk taps from the home page and checks the answer is on screen
QUESTIONS = [
    ("今年完成了多少投资，完成率多少", lambda w: w.answer("1-10月累计完成投资", "6.10亿元", "完成率69.3%")),
    ("本月新开工了几个项目", lambda w: w.answer("10月新开工", "本月没有实际开工的新开工项目")),
    ("哪些项目该开工没开工，晚了多久，谁负责", _late_starts),
    ("红色重点工程是哪些，什么级别，谁包联", _red_key_with_leaders),
    ("超期最久的问题是哪个，责任单位是谁", lambda w: w.answer("超期未办结问题", "最久超期61天", "市财政局")),
    ("某个红色项目卡在什么问题上，谁负责", _project_problem_and_whose),
    ("排名第一的是谁，为什么是这个名次", _why_this_rank),
    ("政策目标达标了几项", lambda w: w.answer("政策目标", "项达标")),
    ("打开问题清单后菜单不再挡住页面", _menu_closes_on_navigation),
    ("从项目档案看这个红色项目的问题和责任单位", _project_file_problem),
]


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse (tests/conftest.py)


@pytest.fixture(scope="module")
def phone(server, browser):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    ctx.add_init_script(TRACE_JS)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture(scope="module")
def report(request):
    lines: list[str] = []
    yield lines
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = "\n".join(lines + [f"负载（1/5/15分钟）：{load}"]) + "\n"
    (ARTIFACTS / "phone_questions.txt").write_text(text, encoding="utf-8")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + text)


@pytest.mark.parametrize("n,question,walk", [(i, q, w) for i, (q, w) in enumerate(QUESTIONS, 1)],
                         ids=[f"q{i}" for i in range(1, len(QUESTIONS) + 1)])
def test_leader_question_within_two_taps(server, phone, report, n, question, walk):
    w = Walk(phone, server)
    seconds = walk(w)
    screenshot(phone, f"question_{n}")
    report.append(f"{n}. {question}: {w.taps} 次点击, 答案上屏 {w.painted:.1f} 秒, 页面可再操作 {seconds:.1f} 秒")
    report.append("   " + breakdown(w))
    assert w.taps <= MAX_TAPS, f"{question}: {w.taps} taps"


def test_an_answer_opens_inside_the_running_app_and_back_returns(server, phone):
    """A tap on a home-page answer opens its page inside the running app, as the menu does (the
    whole app loaded again cost a phone about a second per tap); the address is the page's own,
    so Back returns to the home page and a reload reopens the same view."""
    open_page(phone, server + HOME, wait_text="数据截至")
    phone.evaluate("window.__sameApp = true")
    with rerun(phone, "包联领导：李明（市长）"):
        phone.locator("a.ans", has_text="红色重点工程").first.tap()
    opened, same_app = phone.url, phone.evaluate("window.__sameApp === true")
    with rerun(phone, "10月新开工"):  # Back, too, runs the page again inside the app
        phone.go_back()
    back, back_title = phone.url, phone.locator("h1").first.inner_text()
    phone.goto(opened)
    wait_ready(phone, "包联领导：李明（市长）")
    assert same_app, "the tap loaded the whole app again"
    assert opened.endswith("/mobile?period=2026-10&status=red&show=list")
    assert back.endswith(HOME) and back_title == "全市项目建设总览"
