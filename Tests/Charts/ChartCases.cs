using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>A chart built from a realistic data set, with what its Chart.js config must contain.</summary>
public sealed record ChartCase(
    string Name,
    Func<DataSet> Data,
    string ChartType,
    ChartRequestConfig Config,
    ChartPresentation Presentation,
    int ExpectedDatasets)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every chart type over the real data sets in Data/VegaDatasets. The structural tests check them,
/// and <see cref="ChartJsConfigExportTests"/> writes them out for the headless Chart.js check.
/// </summary>
public static class ChartCases
{
    public static readonly IReadOnlyList<ChartCase> All =
    [
        new("bar_barley_yield_by_site", () => VegaDatasets.Read("barley.csv"), ChartTypes.Bar,
            new ChartRequestConfig { XColumn = "site", YColumn = ["yield"] },
            new ChartPresentation("Barley yield by site"), 1),
        new("bar_obesity_rate_by_state_top_10", () => VegaDatasets.Read("obesity.csv"), ChartTypes.Bar,
            new ChartRequestConfig { XColumn = "state", YColumn = ["rate"], Limit = 10 },
            new ChartPresentation("Highest obesity rates", Colors: ColorScheme.Named(Palettes.Orange)), 1),
        new("bar_birdstrikes_count_by_time_of_day_dark", () => VegaDatasets.Read("birdstrikes-3000.csv"), ChartTypes.Bar,
            new ChartRequestConfig { XColumn = "Time of day", Aggregation = Aggregations.Count },
            new ChartPresentation("Bird strikes by time of day", Theme: "dark"), 1),
        new("horizontal_bar_burtin_penicillin_log", () => VegaDatasets.Read("burtin.csv"), ChartTypes.HorizontalBar,
            new ChartRequestConfig { XColumn = "Bacteria", YColumn = ["Penicillin"], Aggregation = Aggregations.Max },
            new ChartPresentation("Penicillin MIC by bacterium", YLabel: "MIC"), 1),
        new("horizontal_bar_birdstrikes_species_top_25", () => VegaDatasets.Read("birdstrikes-3000.csv"), ChartTypes.HorizontalBar,
            new ChartRequestConfig { XColumn = "Wildlife Species", YColumn = ["Cost Total $"] },
            new ChartPresentation("Cost of bird strikes by species", Colors: ColorScheme.List("#1f77b4")), 1),
        new("stacked_bar_barley_site_by_variety", () => VegaDatasets.Read("barley.csv"), ChartTypes.StackedBar,
            new ChartRequestConfig { XColumn = "site", YColumn = ["yield"], GroupColumn = "variety" },
            new ChartPresentation("Barley yield by site and variety", Colors: ColorScheme.Named(Palettes.Viridis)), 10),
        new("stacked_bar_population_by_age_and_sex_dark", () => VegaDatasets.Read("population.csv"), ChartTypes.StackedBar,
            new ChartRequestConfig { XColumn = "age", YColumn = ["people"], GroupColumn = "sex" },
            new ChartPresentation("US population by age", Theme: "dark"), 2),
        new("line_seattle_daily_temperature", () => VegaDatasets.Read("seattle-weather-hourly-normals.csv"), ChartTypes.Line,
            new ChartRequestConfig { XColumn = "date", YColumn = ["temperature"] },
            new ChartPresentation("Seattle temperature normals"), 1),
        new("line_crimea_three_causes", () => VegaDatasets.Read("crimea.csv"), ChartTypes.Line,
            new ChartRequestConfig { XColumn = "date", YColumn = ["wounds", "other", "disease"] },
            new ChartPresentation("Deaths in the Crimean War by cause", Colors: ColorScheme.List("#d55e00", "rgb(0, 114, 178)", "#999")), 3),
        // A line over a numeric x: the parser reads year columns (wheat's, population's) as dates.
        new("line_population_by_numeric_age", () => VegaDatasets.Read("population.csv"), ChartTypes.Line,
            new ChartRequestConfig { XColumn = "age", YColumn = ["people"], GroupColumn = "sex" },
            new ChartPresentation("US population by age and sex", Theme: "dark"), 2),
        new("line_ohlc_close_by_week", () => VegaDatasets.Read("ohlc.csv"), ChartTypes.Line,
            new ChartRequestConfig { XColumn = "date", YColumn = ["close"], TimeUnit = TimeBuckets.Week, Aggregation = Aggregations.Mean },
            new ChartPresentation("Weekly close"), 1),
        new("line_twenty_years_daily_downsampled", () => LongDailySeries(), ChartTypes.Line,
            new ChartRequestConfig { XColumn = "day", YColumn = ["value"], TimeUnit = TimeBuckets.Day },
            new ChartPresentation("Twenty years of daily values"), 1),
        new("area_crimea_army_size", () => VegaDatasets.Read("crimea.csv"), ChartTypes.Area,
            new ChartRequestConfig { XColumn = "date", YColumn = ["army_size"] },
            new ChartPresentation("British army size in the Crimea", Colors: ColorScheme.Named(Palettes.Green)), 1),
        new("area_population_stacked_by_sex", () => VegaDatasets.Read("population.csv"), ChartTypes.Area,
            new ChartRequestConfig { XColumn = "year", YColumn = ["people"], GroupColumn = "sex", Stacked = true },
            new ChartPresentation("US population by sex", Stacked: true), 2),
        new("pie_barley_yield_by_site", () => VegaDatasets.Read("barley.csv"), ChartTypes.Pie,
            new ChartRequestConfig { XColumn = "site", YColumn = ["yield"] },
            new ChartPresentation("Share of barley yield by site"), 1),
        new("pie_birdstrikes_phase_counts_dark", () => VegaDatasets.Read("birdstrikes-3000.csv"), ChartTypes.Pie,
            new ChartRequestConfig { XColumn = "Phase of flight", Aggregation = Aggregations.Count },
            new ChartPresentation("Bird strikes by phase of flight", Theme: "dark", Colors: ColorScheme.Named(Palettes.Purple)), 1),
        new("doughnut_birdstrikes_wildlife_size", () => VegaDatasets.Read("birdstrikes-3000.csv"), ChartTypes.Doughnut,
            new ChartRequestConfig { XColumn = "Wildlife Size", Aggregation = Aggregations.Count },
            new ChartPresentation("Wildlife size"), 1),
        new("doughnut_income_total_by_region", () => VegaDatasets.Read("income.csv"), ChartTypes.Doughnut,
            new ChartRequestConfig { XColumn = "region", YColumn = ["total"], Aggregation = Aggregations.Sum },
            new ChartPresentation("Households by region", Colors: ColorScheme.Named(Palettes.Monochrome)), 1),
        new("scatter_driving_miles_vs_gas", () => VegaDatasets.Read("driving.csv"), ChartTypes.Scatter,
            new ChartRequestConfig { XColumn = "miles", YColumn = ["gas"] },
            new ChartPresentation("Miles driven and gas price"), 1),
        new("scatter_anscombe_grouped", () => VegaDatasets.Read("anscombe.csv"), ChartTypes.Scatter,
            new ChartRequestConfig { XColumn = "X", YColumn = ["Y"], GroupColumn = "Series" },
            new ChartPresentation("Anscombe's quartet", Theme: "dark"), 4),
        new("scatter_windvectors_sampled", () => VegaDatasets.Read("windvectors.csv"), ChartTypes.Scatter,
            new ChartRequestConfig { XColumn = "dir", YColumn = ["speed"] },
            new ChartPresentation("Wind direction and speed", Colors: ColorScheme.Named(Palettes.Blue)), 1),
        new("histogram_seattle_temperature", () => VegaDatasets.Read("seattle-weather-hourly-normals.csv"), ChartTypes.Histogram,
            new ChartRequestConfig { XColumn = "temperature" },
            new ChartPresentation("Distribution of hourly temperature"), 1),
        new("histogram_ohlc_returns_with_negatives", () => VegaDatasets.Read("ohlc.csv"), ChartTypes.Histogram,
            new ChartRequestConfig { XColumn = "ret", Bins = 12 },
            new ChartPresentation("Daily returns", Theme: "dark"), 1),
        new("histogram_income_pct_by_region", () => VegaDatasets.Read("income.csv"), ChartTypes.Histogram,
            new ChartRequestConfig { XColumn = "pct", GroupColumn = "region" },
            new ChartPresentation("Income group shares by region"), 5),
    ];

    public static IEnumerable<object[]> Names() => All.Select(c => new object[] { c.Name });

    public static ChartCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>A deterministic random walk: one value a day for twenty years (7 305 days).</summary>
    public static DataSet LongDailySeries()
    {
        var random = new Random(7);
        var start = DataSetBuilder.Utc(2000, 1, 1);
        var days = new DateTime?[7305];
        var values = new double?[days.Length];
        double level = 100;
        for (var i = 0; i < days.Length; i++)
        {
            days[i] = start.AddDays(i);
            level += random.NextDouble() - 0.5;
            values[i] = Math.Round(level, 3);
        }
        values[4000] = 400; // a spike that down-sampling must keep
        return new DataSetBuilder().Dates("day", days).Numeric("value", values).Build();
    }
}
