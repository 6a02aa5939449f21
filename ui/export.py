"""Tables as files staff can send on: xlsx with a title row, Chinese headers with units and
numbers kept as numbers; csv in UTF-8 with BOM so Excel opens it in Chinese."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl


def table_xlsx(df: pl.DataFrame, title: str, subtitle: str, sheet: str = "数据") -> bytes:
    """One sheet: title row, a row with filters and data date, then the table."""
    return tables_xlsx([(sheet, df, title, subtitle)])


def tables_xlsx(sheets: list[tuple[str, pl.DataFrame, str, str]]) -> bytes:
    """Several tables, one sheet each: (sheet name, frame, title, subtitle)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    sub_fmt = wb.add_format({"font_color": "#555555"})
    head_fmt = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True,
                              "valign": "vcenter", "align": "center"})
    num_fmt = wb.add_format({"num_format": "#,##0.00", "border": 1})
    int_fmt = wb.add_format({"num_format": "#,##0", "border": 1})
    pct_fmt = wb.add_format({"num_format": "0.0%", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", "border": 1})
    text_fmt = wb.add_format({"border": 1})
    for name, df, title, subtitle in sheets:
        ws = wb.add_worksheet(name[:31])
        ws.write(0, 0, title, title_fmt)
        ws.write(1, 0, subtitle, sub_fmt)
        for j, col in enumerate(df.columns):
            ws.write(2, j, col, head_fmt)
            dtype = df.schema[col]
            is_pct = col.endswith(("率", "占比", "增长", "增速")) or "率（" in col
            fmt = (pct_fmt if is_pct and dtype.is_float() else num_fmt if dtype.is_float()
                   else int_fmt if dtype.is_integer() else date_fmt if dtype in (pl.Date, pl.Datetime) else text_fmt)
            width = max(8, min(40, max([len(str(col))] + [len(str(v)) for v in df[col].head(200).to_list()]) * 1.6))
            ws.set_column(j, j, width)
            for i, v in enumerate(df[col].to_list()):
                if v is None or (isinstance(v, float) and v != v):
                    ws.write_blank(3 + i, j, None, fmt)
                elif isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(3 + i, j, v if isinstance(v, dt.datetime) else
                                      dt.datetime(v.year, v.month, v.day), fmt)
                elif isinstance(v, bool):
                    ws.write(3 + i, j, "是" if v else "否", fmt)
                else:
                    ws.write(3 + i, j, v, fmt)
        ws.freeze_panes(3, 0)
        ws.set_row(2, 32)
    wb.close()
    return buf.getvalue()


def table_csv(df: pl.DataFrame) -> bytes:
    return df.write_csv().encode("utf-8-sig")
