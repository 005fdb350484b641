namespace ChartCraft.Features.Analyze;

/// <summary>
/// A datetime column cut into consecutive periods (a grid from the first to the last period), so numeric
/// columns become evenly spaced series: the mean per period, empty periods as NaN.
/// </summary>
internal sealed class TimeAxis
{
    public required ColumnProfiles.DatetimeProfile Time { get; init; }
    public required PeriodUnit Unit { get; init; }
    /// <summary>Absolute period index of the grid's first cell.</summary>
    public required long First { get; init; }
    public required int Length { get; init; }
    /// <summary>Grid cell of each row, -1 when the row has no timestamp.</summary>
    public required int[] CellOfRow { get; init; }
    /// <summary>Cells holding at least one row.</summary>
    public required int FilledCells { get; init; }
    /// <summary>Some period holds more than one row, so series are means per period.</summary>
    public required bool Aggregated { get; init; }

    // Keeps per-column series arrays small; coarser units are used beyond it.
    private const int MaxCells = 1_000_000;

    /// <summary>The axis of the first datetime column with at least <paramref name="minPeriods"/> filled periods, or null.</summary>
    public static TimeAxis? ForFirstDatetime(ColumnProfiles profiles, int minPeriods)
    {
        foreach (var time in profiles.Datetimes)
        {
            if (time.Distinct.Length < minPeriods) continue;
            var unit = time.Frequency.Unit ?? Periods.ForSpan(time.SpanDays);
            var axis = Build(time, unit);
            return axis.FilledCells >= minPeriods ? axis : null;
        }
        return null;
    }

    public static TimeAxis Build(ColumnProfiles.DatetimeProfile time, PeriodUnit unit)
    {
        long first = 0, last = 0;
        while (true)
        {
            first = Periods.Index(new DateTime(time.Distinct[0], DateTimeKind.Utc), unit);
            last = Periods.Index(new DateTime(time.Distinct[^1], DateTimeKind.Utc), unit);
            if (last - first < MaxCells || unit == PeriodUnit.Year) break;
            unit++;
        }
        var length = (int)(last - first + 1);
        var cells = new int[time.Ticks.Length];
        var rowsPerCell = new int[length];
        for (var i = 0; i < cells.Length; i++)
        {
            var t = time.Ticks[i];
            if (t == ColumnProfiles.DatetimeProfile.Missing)
            {
                cells[i] = -1;
                continue;
            }
            var cell = (int)(Periods.Index(new DateTime(t, DateTimeKind.Utc), unit) - first);
            cells[i] = cell;
            rowsPerCell[cell]++;
        }
        var filled = 0;
        var aggregated = false;
        foreach (var n in rowsPerCell)
        {
            if (n > 0) filled++;
            if (n > 1) aggregated = true;
        }
        return new TimeAxis
        {
            Time = time, Unit = unit, First = first, Length = length, CellOfRow = cells, FilledCells = filled, Aggregated = aggregated,
        };
    }

    /// <summary>Mean of <paramref name="values"/> (NaN = missing) per cell; NaN for cells without values.</summary>
    public double[] MeanSeries(double[] values)
    {
        var sums = new double[Length];
        var counts = new int[Length];
        for (var i = 0; i < values.Length; i++)
        {
            var cell = CellOfRow[i];
            if (cell < 0 || double.IsNaN(values[i])) continue;
            sums[cell] += values[i];
            counts[cell]++;
        }
        for (var c = 0; c < Length; c++) sums[c] = counts[c] > 0 ? sums[c] / counts[c] : double.NaN;
        return sums;
    }

    public string Label(int cell) => Periods.Label(First + cell, Unit);

    public DateTime Start(int cell) => Periods.Start(First + cell, Unit);
}
