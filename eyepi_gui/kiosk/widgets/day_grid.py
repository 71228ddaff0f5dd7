"""A day of kept images as a grid of thumbnails, loaded lazily: the view asks the model for
the pictures of the rows it paints, and only those are fetched (``ThumbnailLoader``)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, tzinfo

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from eyepi_gui.domain.browse import BrowseImage
from eyepi_gui.kiosk.widgets.thumbnail_loader import ThumbnailLoader

THUMB = QSize(160, 120)
PIXMAPS_MAX = 400
"""Thumbnails held at once (about 30 MB): far more than any screen shows; the rest are read
from the disk cache again when scrolled back to (a day of 1,440 would hold 110 MB)."""
CELL = QSize(176, 172)
DRIFT_COLOUR = QColor("#c62828")
Index = QModelIndex | QPersistentModelIndex


def caption(image: BrowseImage, tz: tzinfo) -> str:
    """One cell's text, always two lines (the grid sizes every cell like the first): the
    time taken, then the focus score and the drift mark (plain text)."""
    when = datetime.fromtimestamp(image.taken_at, tz).strftime("%H:%M:%S")
    if image.focus_score is None:
        return f"{when}\nno focus score"
    return f"{when}\nfocus {image.focus_score:.1f}" + (" · drifted" if image.drifted else "")


class DayModel(QAbstractListModel):
    """The images of a day and the thumbnails loaded so far; asking for a row's picture
    requests its thumbnail when it is not there yet."""

    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self.images: list[BrowseImage] = []
        self._rows: dict[int, int] = {}
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()  # least recently shown first
        self._failed: set[int] = set()
        self._tz: tzinfo | None = None
        self._blank = QPixmap(THUMB)
        self._blank.fill(QColor("#222"))
        loader.loaded.connect(self._loaded)
        loader.failed.connect(self._not_loaded)

    def show_day(self, images: list[BrowseImage], tz: tzinfo) -> bool:
        """Show ``images``; True when they only add to the end of what is shown (new captures
        of the day on show), which keeps the thumbnails and the scroll position."""
        old = len(self.images)
        if old and len(images) > old and images[:old] == self.images and tz == self._tz:
            self.beginInsertRows(QModelIndex(), old, len(images) - 1)
            self.images = images
            self._rows = {image.record_id: row for row, image in enumerate(images)}
            self.endInsertRows()
            return True
        self._reset(images, tz)
        return False

    def _reset(self, images: list[BrowseImage], tz: tzinfo) -> None:
        self.beginResetModel()
        self._loader.forget()
        self.images, self._tz = images, tz
        self._rows = {image.record_id: row for row, image in enumerate(images)}
        self._pixmaps.clear()
        self._failed.clear()
        self.endResetModel()

    def loaded_count(self) -> int:
        """Thumbnails held now (at most ``PIXMAPS_MAX``)."""
        return len(self._pixmaps)

    def has_thumbnail(self, row: int) -> bool:
        """True when the row's thumbnail is on hand (shown when the row is painted)."""
        return 0 <= row < len(self.images) and self.images[row].record_id in self._pixmaps

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.images)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.images):
            return None
        image = self.images[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return caption(image, self._tz) if self._tz else image.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._picture(image.record_id)
        if role == Qt.ItemDataRole.SizeHintRole:
            return CELL - QSize(4, 4)  # every cell alike, wide enough for "· drifted"
        if role == Qt.ItemDataRole.ToolTipRole:
            return image.name
        if role == Qt.ItemDataRole.ForegroundRole and image.drifted:
            return QBrush(DRIFT_COLOUR)
        return None

    def _picture(self, record_id: int) -> QPixmap:
        pixmap = self._pixmaps.get(record_id)
        if pixmap is None:
            if record_id not in self._failed:
                self._loader.request(record_id)
            return self._blank
        self._pixmaps.move_to_end(record_id)
        return pixmap

    def _loaded(self, record_id: int, image: QImage) -> None:
        row = self._rows.get(record_id)
        if row is None:
            return  # a thumbnail of a day no longer on show
        self._pixmaps[record_id] = QPixmap.fromImage(image)
        while len(self._pixmaps) > PIXMAPS_MAX:
            self._pixmaps.popitem(last=False)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _not_loaded(self, record_id: int, _reason: str) -> None:
        self._failed.add(record_id)


class DayGrid(QListView):
    """The grid: touch-scrolled, a tap opens an image (``opened(row)``)."""

    opened = Signal(int)

    def __init__(self, model: DayModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setIconSize(THUMB)
        self.setGridSize(CELL)
        self.setSpacing(0)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setModel(model)
        self.clicked.connect(lambda index: self.opened.emit(index.row()))
