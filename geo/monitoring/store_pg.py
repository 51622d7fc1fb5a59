"""The monitoring tables in the PostgreSQL register (migration ``0003_monitoring.sql``).

Every change is one transaction that first takes ``LOCK monitoring_historie IN EXCLUSIVE
MODE`` (readers go on), so id counters, rows and history change together and an undo's
choice of the last change stays right. The schema is brought up to date by the register's
migrations (``wijkkompas database init|migreer``; a fresh database on the first change).
"""

from __future__ import annotations

import logging

from geo.aanbod.side_tables import PostgisSideTables
from geo.monitoring.store import HISTORY, MonitoringStore

logger = logging.getLogger(__name__)


class PostgisMonitoringStore(PostgisSideTables, MonitoringStore):
    """Monitoring tables in the register's PostgreSQL database (migration 0003)."""

    needs_version = 3
    lock_table = HISTORY
