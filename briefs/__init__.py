"""Workspace -> Brief (plain data) -> ReportLab story -> PDF bytes. No Qt."""
