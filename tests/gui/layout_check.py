"""A layout check for the kiosk: walk every visible widget of a window and list what a person at
an 800x480 touchscreen would see wrong.

``layout_problems(window, keyboard=None)`` returns a list of ``Problem`` (empty: all fine):

- ``cut``: a button, tab, check box, combo box or label whose text needs more room than its
  contents rect gives it (text width from ``fontMetrics`` plus icon; the contents rect comes from
  the style, so style-sheet border and padding count). A word-wrapped label must have the height
  of its wrapped text, and its longest word must fit one line.
- ``elided``: a text ending in "…" with no tooltip holding the full text. Rule: code that elides
  on purpose puts the full text in the tooltip (the tooltip starts with the visible part); a "…"
  after wording about something going on ("Checking…", "Looking for cameras…": a word of the
  text ends in "-ing") is wording, not eliding, and so is a button ending in "…" (the usual
  sign of a button that asks before it acts: "Remove user…"). Qt's own eliding (tab bars)
  counts as ``cut``.
- ``small``: a touch target (button, tab, check box, combo box, line edit, spin box, slider)
  under 44x44 px.
- ``scroll``: a visible horizontal scroll bar, or a tab bar showing its scroll arrows.
- ``outside``: a widget not wholly inside its parent (and so, by induction, the window). The
  contents of a scroll area may run past its viewport at the top and bottom (scrolled out of
  view) but not at the sides.
- ``keyboard``: the focused text field is not wholly in view while the on-screen keyboard shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)

TOUCH_PX = 44
SLACK_PX = 1
"""Rounding between font metrics and layouts; a text may overrun its rect by this much."""
ELLIPSIS = "…"
TARGETS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractSlider)
TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QPlainTextEdit)
ICON_GAP_PX = 4
_ONGOING = re.compile(r"\w+ing\b")


@dataclass(frozen=True)
class Problem:
    """One finding: the rule broken, which widget (a readable path) and the numbers."""

    rule: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.widget}: {self.detail}"


def describe(widget: QWidget) -> str:
    """A readable path: the nearest named ancestors, the widget's class, name and text."""
    names = []
    parent = widget.parentWidget()
    while parent is not None and len(names) < 3:
        if parent.objectName() and not parent.objectName().startswith("qt_"):
            names.append(parent.objectName())
        parent = parent.parentWidget()
    own = f"{type(widget).__name__}#{widget.objectName()}" if widget.objectName() else ""
    own = own or type(widget).__name__
    text = getattr(widget, "text", None)
    label = f" {text()!r}" if callable(text) and isinstance(text(), str) and text() else ""
    return "/".join([*reversed(names), own]) + label


def visible_widgets(window: QWidget) -> list[QWidget]:
    """Every widget of ``window`` that is on show (hidden pages and popups left out)."""
    return [w for w in window.findChildren(QWidget) if w.isVisible() and w.window() is window]


def layout_problems(window: QWidget, keyboard: QWidget | None = None) -> list[Problem]:
    """Everything wrong with the layout of ``window`` as it is now (see the module docstring).
    ``keyboard``: the on-screen keyboard, checked against the focused field when it shows."""
    problems: list[Problem] = []
    for widget in visible_widgets(window):
        problems += text_problems(widget)
        problems += target_problems(widget)
        problems += scroll_problems(widget)
        problems += placement_problems(widget)
    if keyboard is not None and keyboard.isVisible():
        problems += keyboard_problems(window, keyboard, QApplication.focusWidget())
    return problems


# ---- text ---------------------------------------------------------------------------------


def text_problems(widget: QWidget) -> list[Problem]:
    if isinstance(widget, QLabel):
        return label_problems(widget)
    if isinstance(widget, QTabBar):
        return tab_problems(widget)
    if isinstance(widget, (QPushButton, QToolButton, QCheckBox, QRadioButton)):
        return button_problems(widget)
    if isinstance(widget, QComboBox):
        return combo_problems(widget)
    return []


def elision_problem(widget: QWidget, text: str) -> list[Problem]:
    """A "…" must be wording about something going on, or come with the full text."""
    if ELLIPSIS not in text:
        return []
    stem = text.split(ELLIPSIS, 1)[0].rstrip()
    if _ONGOING.search(stem) or (isinstance(widget, QAbstractButton) and text.endswith(ELLIPSIS)):
        return []
    tip = widget.toolTip()
    if tip.startswith(stem.rstrip(" ·")) and len(tip) > len(stem):
        return []
    return [Problem("elided", describe(widget), f"{text!r} has no tooltip with the full text")]


def _too_small(widget: QWidget, need_w: int, need_h: int, room: QRect) -> list[Problem]:
    if need_w <= room.width() + SLACK_PX and need_h <= room.height() + SLACK_PX:
        return []
    detail = f"text needs {need_w}x{need_h} px, has {room.width()}x{room.height()}"
    return [Problem("cut", describe(widget), detail)]


def label_problems(label: QLabel) -> list[Problem]:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        return []  # the project shows only plain text; rich text is not measured here
    problems = elision_problem(label, text)
    room = label.contentsRect().adjusted(
        label.margin(), label.margin(), -label.margin(), -label.margin()
    )
    metrics = label.fontMetrics()
    if label.wordWrap():
        widest_word = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
        need_h = label.heightForWidth(label.width())
        if need_h > label.height() + SLACK_PX or widest_word > room.width() + SLACK_PX:
            detail = (
                f"wrapped text needs {need_h} px high (has {label.height()}), "
                f"longest word {widest_word} px (has {room.width()})"
            )
            problems.append(Problem("cut", describe(label), detail))
        return problems
    size = metrics.size(0, text)
    return problems + _too_small(label, size.width(), size.height(), room)


def button_problems(button: QAbstractButton) -> list[Problem]:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    problems = elision_problem(button, text)
    if not text and button.icon().isNull():
        return problems
    metrics = button.fontMetrics()
    icon = button.iconSize() if not button.icon().isNull() else None
    need_w = metrics.horizontalAdvance(text) if text else 0
    need_h = metrics.height() if text else 0
    if icon is not None:
        need_w += icon.width() + (ICON_GAP_PX if text else 0)
        need_h = max(need_h, icon.height())
    return problems + _too_small(button, need_w, need_h, button_contents(button))


def button_contents(button: QAbstractButton) -> QRect:
    """Where the style puts a button's text (inside border and padding)."""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    style = button.style()
    if isinstance(button, (QCheckBox, QRadioButton)):
        element = (
            QStyle.SubElement.SE_CheckBoxContents
            if isinstance(button, QCheckBox)
            else QStyle.SubElement.SE_RadioButtonContents
        )
        return style.subElementRect(element, option, button)
    if isinstance(button, QToolButton):
        return button.contentsRect()
    return style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)


def combo_problems(combo: QComboBox) -> list[Problem]:
    text = combo.currentText()
    if not text:
        return []
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.editable = combo.isEditable()
    room = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox,
        option,
        QStyle.SubControl.SC_ComboBoxEditField,
        combo,
    )
    metrics = combo.fontMetrics()
    return _too_small(combo, metrics.horizontalAdvance(text), metrics.height(), room)


def tab_problems(bar: QTabBar) -> list[Problem]:
    """Each tab as wide and high as its text (no eliding) and 44 px; none off the bar."""
    problems = []
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect, hint = bar.tabRect(index), bar.tabSizeHint(index)
        name = f"{describe(bar)} tab {bar.tabText(index)!r}"
        if rect.width() + SLACK_PX < hint.width() or rect.height() + SLACK_PX < hint.height():
            detail = f"needs {hint.width()}x{hint.height()} px, has {rect.width()}x{rect.height()}"
            problems.append(Problem("cut", name, detail))
        if rect.width() < TOUCH_PX or rect.height() < TOUCH_PX:
            problems.append(Problem("small", name, f"{rect.width()}x{rect.height()} px"))
        if not bar.rect().contains(rect):
            problems.append(Problem("outside", name, f"tab at {_xywh(rect)} off the bar"))
    return problems


# ---- touch targets, scrolling, placement ------------------------------------------------


def target_problems(widget: QWidget) -> list[Problem]:
    if not isinstance(widget, TARGETS) or isinstance(widget, QScrollBar):
        return []
    if isinstance(widget, QToolButton) and isinstance(widget.parentWidget(), QTabBar):
        return []  # the tab bar's scroll arrows: reported as a scroll problem
    if widget.width() >= TOUCH_PX and widget.height() >= TOUCH_PX:
        return []
    return [Problem("small", describe(widget), f"{widget.width()}x{widget.height()} px")]


def scroll_problems(widget: QWidget) -> list[Problem]:
    if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
        return [Problem("scroll", describe(widget), "scrolls sideways")]
    if isinstance(widget, QTabBar):
        arrows = [b for b in widget.findChildren(QToolButton) if b.isVisible()]
        if arrows:
            return [Problem("scroll", describe(widget), "tabs do not fit: scroll arrows show")]
    return []


def placement_problems(widget: QWidget) -> list[Problem]:
    """``widget`` wholly inside its parent; a scroll area's contents only side to side."""
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return []
    rect, room = widget.geometry(), parent.rect()
    if isinstance(parent.parentWidget(), QAbstractScrollArea) and parent is _viewport(parent):
        inside = rect.left() >= room.left() - SLACK_PX and rect.right() <= room.right() + SLACK_PX
    else:
        inside = room.adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX).contains(rect)
    if inside:
        return []
    detail = f"at {_xywh(rect)} in a parent of {room.width()}x{room.height()}"
    return [Problem("outside", describe(widget), detail)]


def _viewport(widget: QWidget) -> QWidget | None:
    area = widget.parentWidget()
    return area.viewport() if isinstance(area, QAbstractScrollArea) else None


def keyboard_problems(window: QWidget, keyboard: QWidget, focused: QWidget | None) -> list[Problem]:
    """The focused text field must be wholly in view (not under the keyboard, not scrolled off)."""
    if not isinstance(focused, TEXT_FIELDS) or not window.isAncestorOf(focused):
        return []
    shown = in_view(focused)
    full = QRect(focused.mapTo(window, focused.rect().topLeft()), focused.size())
    under = full.intersects(
        QRect(keyboard.mapTo(window, keyboard.rect().topLeft()), keyboard.size())
    )
    if shown == full and not under:
        return []
    detail = f"field at {_xywh(full)}, in view {_xywh(shown)}, keyboard at y={keyboard.y()}"
    return [Problem("keyboard", describe(focused), detail)]


def in_view(widget: QWidget) -> QRect:
    """The part of ``widget`` that its ancestors leave on screen, in window coordinates."""
    window = widget.window()
    shown = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(
            QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size())
        )
        parent = parent.parentWidget()
    return shown.intersected(window.rect())


def _xywh(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"
