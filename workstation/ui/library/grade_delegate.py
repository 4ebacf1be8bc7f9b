"""Editing a document's Admiralty source grade in the library: reliability (A–F) and
credibility (1–6) chosen side by side, saved as one undo step through the services.

The library view opens the editor on a double-click or F2 on the Grade cell. F2 in another
column opens the Document details dialog (the library's ``actionDocumentDetails``), where
the grade can be set beside the other details.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QObject,
    QRect,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workstation.domain.grades import CREDIBILITY, RELIABILITY
from workstation.ui.library.model import Index, LibraryModel
from workstation.ui.shell.workbench import Workbench


class GradeEditor(QWidget):
    """Two combos, each item a code with its meaning ("B — Usually reliable")."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradeEditor")
        self.setAutoFillBackground(True)  # drawn over the cells it overlaps
        self.reliability = self._combo(
            "gradeReliability", self.tr("Source reliability (A–F)"), RELIABILITY
        )
        self.credibility = self._combo(
            "gradeCredibility", self.tr("Information credibility (1–6)"), CREDIBILITY
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.reliability)
        row.addWidget(self.credibility)
        self.setFocusProxy(self.reliability)

    def _combo(self, name: str, accessible: str, meanings: dict[str, str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        for code, meaning in meanings.items():
            combo.addItem(f"{code} — {meaning}", code)
        return combo

    def grade(self) -> tuple[str, str]:
        return self.reliability.currentData(), self.credibility.currentData()

    def set_grade(self, grade: str) -> None:
        """``grade`` as the library shows it ("B2"; ungraded shows as "F6")."""
        reliability, credibility = (grade[:1], grade[1:2]) if len(grade) == 2 else ("F", "6")
        self.reliability.setCurrentIndex(max(0, self.reliability.findData(reliability)))
        self.credibility.setCurrentIndex(max(0, self.credibility.findData(credibility)))


class GradeDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return GradeEditor(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, GradeEditor):
            editor.set_grade(str(index.data() or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, GradeEditor) and "".join(editor.grade()) != index.data():
            model.setData(index, editor.grade(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # The Grade column is two letters wide: the editor spreads over its neighbours,
        # ending at the cell's right edge where it fits, never outside the viewport.
        cell = option.rect
        parent = editor.parentWidget()
        viewport = parent.rect() if parent is not None else cell
        width = min(max(editor.sizeHint().width(), cell.width()), viewport.width())
        left = min(cell.left(), viewport.right() + 1 - width)
        editor.setGeometry(QRect(max(0, left), cell.top(), width, cell.height()))


class _EditGradeKey(QObject):
    """F2 on a Grade cell edits the grade in place; elsewhere F2 is left to the library's
    Document details shortcut (claimed here first, through ShortcutOverride, only on the
    Grade column)."""

    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F2
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self._view.state() != QAbstractItemView.State.EditingState
        ):
            current = self._view.currentIndex()
            if current.isValid() and current.column() == LibraryModel.GRADE:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # the key comes here as a KeyPress, not as F2's shortcut
                    return True
                self._view.edit(current)
                return True
        return super().eventFilter(watched, event)


def install_grade_editing(
    view: QAbstractItemView, model: LibraryModel, workbench: Workbench
) -> GradeDelegate:
    """Make the library's Grade column editable: the delegate, the edit triggers, and the
    model's save path, which is one ``Workbench.apply`` (one undo step) per change."""
    session = workbench.session

    def save_grade(document_id: str, reliability: str, credibility: str) -> bool:
        grade = f"{reliability}{credibility}"
        text = QCoreApplication.translate("GradeDelegate", "Set source grade to {grade}")
        return (
            workbench.apply(
                text.format(grade=grade),
                lambda: session.documents.edit(
                    document_id, reliability=reliability, credibility=credibility
                ),
            )
            is not None
        )

    model.grade_setter = save_grade
    delegate = GradeDelegate(view)
    view.setItemDelegateForColumn(LibraryModel.GRADE, delegate)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
    )
    view.installEventFilter(_EditGradeKey(view))
    return delegate
