from decimal import Decimal

from reports.presenters import Cell, month_table, months_chart
from reports.selectors import MonthRow


def row(month, status, orders, volume, status_running, running):
    return MonthRow(month, status, orders, Decimal(volume), Decimal(status_running), Decimal(running))


ROWS = [
    row("2024-01", "done", 1, "10.00", "10.00", "11.00"),
    row("2024-01", "new", 2, "1.00", "1.00", "11.00"),
    row("2024-03", "done", 1, "100.00", "110.00", "111.00"),
]


def test_the_month_table_has_a_line_per_month_and_a_cell_per_status():
    table = month_table(ROWS, ())
    assert [value for value, _label in table.statuses] == ["new", "in_progress", "done", "cancelled"]
    jan, mar = table.lines
    assert jan.cells == [
        Cell(2, Decimal("1.00")),
        Cell(0, Decimal("0")),
        Cell(1, Decimal("10.00")),
        Cell(0, Decimal("0")),
    ]
    assert (jan.orders, jan.volume, jan.running_total) == (3, Decimal("11.00"), Decimal("11.00"))
    assert (mar.month, mar.orders, mar.running_total) == ("2024-03", 1, Decimal("111.00"))


def test_only_the_chosen_statuses_get_columns():
    table = month_table([r for r in ROWS if r.status == "done"], ("done",))
    assert [value for value, _label in table.statuses] == ["done"]
    assert [line.cells for line in table.lines] == [[Cell(1, Decimal("10.00"))], [Cell(1, Decimal("100.00"))]]


def test_the_running_total_chart_carries_a_status_through_months_without_its_orders():
    chart = months_chart(ROWS)
    assert [line.name for line in chart.lines] == ["New", "Done", "All shown statuses"]
    new = chart.lines[0]
    assert new.dots[-1].title == "2024-03 · New: 1"  # "new" had nothing in March: its total stays at 1.00


def test_the_chart_draws_every_month_between_the_first_and_the_last():
    chart = months_chart(ROWS)
    assert chart.lines[-1].dots[1].title == "2024-02 · All shown statuses: 11"  # a quiet month keeps the total
    wrap = [row("2023-11", "done", 1, "1.00", "1.00", "1.00"), row("2024-02", "done", 1, "1.00", "2.00", "2.00")]
    assert [len(line.points) for line in months_chart(wrap).lines] == [4, 4]  # Nov, Dec, Jan, Feb for two lines
