using System.Globalization;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Recommendation;

/// <summary>A chart worth drawing from a data set, with the config to post back to create it.</summary>
/// <param name="ChartType">One of <see cref="ChartTypes"/>.</param>
/// <param name="Confidence">0..1: how well the chart type fits these columns (expressiveness and effectiveness).</param>
/// <param name="Reason">Why, in terms of the real columns and counts.</param>
/// <param name="Config">A valid request config for <paramref name="ChartType"/> on this data set.</param>
public sealed record ChartSuggestion(string ChartType, double Confidence, string Reason, ChartRequestConfig Config);

/// <summary>
/// Suggests charts for a data set from the roles its columns play (time, measure, category), scored in the spirit
/// of Tableau's Show Me and Draco: the type that shows the relationship most effectively ranks first, columns with
/// missing values rank lower, identifiers and free text are never used, and several chart types are covered.
/// </summary>
public static partial class ChartRecommender
{
    /// <summary>Suggestions returned at most: enough to cover the useful chart types without a wall of near-duplicates.</summary>
    public const int MaxSuggestions = 8;

    /// <summary>Categories above this many make a pie unreadable (and angles are hard to compare even below it).</summary>
    public const int MaxPieSlices = 7;

    /// <summary>Labels longer than this, or more bars than <see cref="ManyBars"/>, read better as horizontal bars.</summary>
    public const int LongLabel = 15;
    public const int ManyBars = 12;

    /// <summary>
    /// Category columns with more values than this are offered as an x axis only when values repeat (each at least
    /// twice on average), as a top-N bar with the rest as Other — 300 airports, say — and never above
    /// <see cref="MaxTopNCategories"/>.
    /// </summary>
    public const int MaxCategories = 50;
    public const int MaxTopNCategories = 1000;

    /// <summary>The longest entity name, in characters and words, that still reads as a name rather than a sentence.</summary>
    public const int EntityNameLength = 40;
    public const int EntityNameWords = 5;

    public static IReadOnlyList<ChartSuggestion> Suggest(DataSet data)
    {
        var profiles = data.Columns.Select((c, i) => Profile.Of(c, data.RowCount, i)).ToList();
        var times = profiles.Where(p => p.Role == Role.Time).OrderByDescending(p => p.Quality).ThenBy(p => p.Column.Type == ColumnTypes.Datetime ? 0 : 1).Take(2).ToList();
        // Complete columns first; among them, richer ones (more distinct values) before mostly-constant ones.
        var measures = profiles.Where(p => p.Role == Role.Measure)
            .OrderByDescending(p => Math.Round(p.Quality, 1)).ThenByDescending(p => p.Distinct).Take(5).ToList();
        var categories = profiles.Where(p => p.Role == Role.Category)
            .OrderByDescending(p => p.Quality * CardinalityFit(p.Distinct)).Take(4).ToList();

        var candidates = new List<ChartSuggestion>();
        foreach (var time in times) candidates.AddRange(TimeCharts(time, measures, categories, data.RowCount));
        foreach (var category in categories) candidates.AddRange(CategoryCharts(category, measures, categories, data.RowCount));
        var entity = EntityColumn(profiles, data.RowCount);
        candidates.AddRange(Scatters(measures, data.RowCount, entity));
        candidates.AddRange(measures.Take(3).Select(m => Histogram(m)));
        return Select(candidates);
    }

    /// <summary>The chart types of <see cref="Suggest"/>, best first, each once (the upload response's suggested_charts).</summary>
    public static IReadOnlyList<string> SuggestTypes(DataSet data) =>
        Suggest(data).Select(s => s.ChartType).Distinct().ToList();

    // ---------------------------------------------------------------- rules

    /// <summary>Time + measure → line; several measures → one line each; cumulative or part-of-whole over time → area.</summary>
    static IEnumerable<ChartSuggestion> TimeCharts(Profile time, List<Profile> measures, List<Profile> categories, int rows)
    {
        var (unit, periods, periodWord) = Periods(time);
        if (periods < 3) yield break;
        var span = Span(time, periods, periodWord);
        var timeOrder = TimeOrder(time.Column);
        foreach (var (m, rank) in measures.Take(4).Select((m, i) => (m, i)))
        {
            var aggregation = Aggregations.DefaultFor(m.Column);
            var config = new ChartRequestConfig
            {
                XColumn = time.Column.Name, YColumn = [m.Column.Name], Aggregation = aggregation, TimeUnit = unit,
            };
            var q = time.Quality * m.Quality * RankDecay(rank);
            yield return new ChartSuggestion(ChartTypes.Line, 0.9 * q,
                $"{Describe(m, aggregation)} over {span}: a line shows the trend", config);
            if (LooksCumulative(m, timeOrder))
                yield return new ChartSuggestion(ChartTypes.Area, 0.8 * q,
                    $"{m.Column.Name} never falls over {span}: an area shows how it builds up", config);
        }

        // Several measures on one scale: one line per measure.
        var comparable = ComparableMeasures(measures);
        if (comparable.Count >= 2)
        {
            var names = comparable.Select(m => m.Column.Name).ToList();
            var aggregation = Aggregations.DefaultFor(comparable[0].Column);
            // Above every single line but the first: comparing the measures says more than a second lone line.
            yield return new ChartSuggestion(ChartTypes.Line, 0.88 * time.Quality * comparable.Min(m => m.Quality),
                $"{JoinNames(names)} over {span}: one line per measure compares their trends",
                new ChartRequestConfig { XColumn = time.Column.Name, YColumn = names, Aggregation = aggregation, TimeUnit = unit });
        }

        // A part-of-whole measure split by a few categories: stacked areas.
        foreach (var c in categories.Where(c => c.Distinct is >= 2 and <= MaxPieSlices).Take(1))
        foreach (var m in measures.Where(PartOfWhole).Take(1))
            yield return new ChartSuggestion(ChartTypes.Area, 0.74 * time.Quality * m.Quality * c.Quality,
                $"{m.Column.Name} by {c.Column.Name} over {span}: stacked areas show how each of the {c.Distinct} {Plural(c.Column.Name)} adds to the total",
                new ChartRequestConfig
                {
                    XColumn = time.Column.Name, YColumn = [m.Column.Name], GroupColumn = c.Column.Name,
                    Aggregation = Aggregations.Sum, TimeUnit = unit, Stacked = true,
                });

        // Rows are events (several per period): how often they happen.
        if (rows >= 20 && rows >= 2 * periods)
            yield return new ChartSuggestion(ChartTypes.Line, (measures.Count == 0 ? 0.7 : 0.55) * time.Quality,
                $"{rows} rows over {span}: a line of the count per {unit ?? "year"} shows how often they occur",
                new ChartRequestConfig { XColumn = time.Column.Name, Aggregation = Aggregations.Count, TimeUnit = unit });
    }

    /// <summary>Category + measure → bar (horizontal when labels are long or many); few parts of a whole → pie/doughnut;
    /// two categories + measure → stacked bar; a category alone → bar of counts.</summary>
    static IEnumerable<ChartSuggestion> CategoryCharts(Profile category, List<Profile> measures, List<Profile> categories, int rows)
    {
        var k = category.Distinct;
        if (k < 2) yield break;
        // One bar per entity is the chart a person draws for a table of states or people, even past 50 bars.
        var fit = IsEntityPerRow(category, rows) ? 1 : CardinalityFit(k);
        var barType = category.LongestLabel > LongLabel || k > ManyBars ? ChartTypes.HorizontalBar : ChartTypes.Bar;
        var across = $"{k} {Plural(category.Column.Name)}";
        var compares = k > ChartAggregator.DefaultBarLimit
            ? $"compares the top {ChartAggregator.DefaultBarLimit} and groups the rest as Other"
            : "compares them";
        var barName = barType == ChartTypes.Bar ? "bar" : "horizontal bar";
        var why = barType == ChartTypes.HorizontalBar && category.LongestLabel > LongLabel ? " and leaves room for long labels" : "";
        var pieDone = false;

        foreach (var (m, rank) in measures.Take(3).Select((m, i) => (m, i)))
        {
            var aggregation = Aggregations.DefaultFor(m.Column);
            var q = category.Quality * m.Quality * fit * RankDecay(rank);
            var config = new ChartRequestConfig { XColumn = category.Column.Name, YColumn = [m.Column.Name], Aggregation = aggregation };
            yield return new ChartSuggestion(barType, 0.85 * q,
                $"{Describe(m, aggregation)} across {across}: a {barName} {compares}{why}", config);

            // One pie and one doughnut per category: the best part-of-whole measure.
            if (k <= MaxPieSlices && !pieDone && PartOfWhole(m))
            {
                pieDone = true;
                yield return new ChartSuggestion(ChartTypes.Pie, 0.7 * q,
                    $"{m.Column.Name} split across {across}: a pie shows each one's share of the total", config with { Aggregation = Aggregations.Sum });
                yield return new ChartSuggestion(ChartTypes.Doughnut, 0.62 * q,
                    $"{m.Column.Name} split across {across}: a doughnut shows each one's share of the total", config with { Aggregation = Aggregations.Sum });
            }

            // Each pair once: the column with more values on x, the one with fewer as the stacks.
            foreach (var other in categories.Where(o => o != category && o.Distinct is >= 2 and <= 10 && k <= 30
                                                        && (o.Distinct < k || (o.Distinct == k && o.Index > category.Index))).Take(1))
                if (PartOfWhole(m))
                    yield return new ChartSuggestion(ChartTypes.StackedBar, 0.72 * q * other.Quality,
                        $"{m.Column.Name} by {category.Column.Name} and {other.Column.Name} ({k} × {other.Distinct}): stacked bars show each {other.Column.Name}'s part of every {category.Column.Name}'s total",
                        config with { GroupColumn = other.Column.Name, Aggregation = Aggregations.Sum, Stacked = true });
        }

        // Counting rows per category says something only when categories repeat: one row per state counts 1 each.
        if (rows < 2 * k) yield break;
        var counts = new ChartRequestConfig { XColumn = category.Column.Name, Aggregation = Aggregations.Count };
        var countConfidence = (measures.Count == 0 ? 0.75 : 0.6) * category.Quality * fit;
        yield return new ChartSuggestion(barType, countConfidence,
            $"{rows} rows across {across}: a {barName} compares how many each has", counts);
        if (k <= MaxPieSlices)
            yield return new ChartSuggestion(ChartTypes.Pie, countConfidence * 0.9,
                $"{rows} rows split across {across}: a pie shows each one's share", counts);
    }

    /// <summary>Two measures → scatter; the stronger their correlation, the more a scatter has to show. With more
    /// entities than bars can show, the best related pair ranks first: each entity is a point. With few enough for
    /// a bar each, the bars rank first: a reader wants the entities compared before their measures related.</summary>
    static IEnumerable<ChartSuggestion> Scatters(List<Profile> measures, int rows, Profile? entity)
    {
        var manyEntities = entity is { Distinct: > MaxEntityBars } ? entity : null;
        var belowEntityBars = entity is { Role: Role.Category } && IsEntityPerRow(entity, rows) ? 0.9 : 1;
        var pairs = new List<(Profile X, Profile Y, double R, int N)>();
        for (var i = 0; i < measures.Count; i++)
        for (var j = i + 1; j < measures.Count; j++)
        {
            var (x, y) = measures[i].Index < measures[j].Index ? (measures[i], measures[j]) : (measures[j], measures[i]);
            var (r, n) = Correlation.Pearson(x.Column.Numbers!.Span[..rows], y.Column.Numbers!.Span[..rows]);
            // |r| ≈ 1 is one measure recorded twice (a value and its rounded copy): nothing for a scatter to show.
            if (n >= 5 && double.IsFinite(r) && Math.Abs(r) < 0.995) pairs.Add((x, y, r, n));
        }
        foreach (var ((x, y, r, n), rank) in pairs.OrderByDescending(p => Math.Abs(p.R)).Take(3).Select((p, i) => (p, i)))
        {
            var strength = Math.Abs(r) switch { >= 0.7 => "strongly", >= 0.4 => "moderately", >= 0.2 => "weakly", _ => "hardly" };
            var correlated = $"{x.Column.Name} and {y.Column.Name} across {n} rows are {strength} correlated (r = {r.ToString("0.00", CultureInfo.InvariantCulture)})";
            var config = new ChartRequestConfig { XColumn = x.Column.Name, YColumn = [y.Column.Name] };
            // 0.95: above a line over time (0.9) and a bar (0.85), which only aggregate or cut the entities.
            if (rank == 0 && manyEntities is not null && Math.Abs(r) >= RelatedMeasures)
                yield return new ChartSuggestion(ChartTypes.Scatter, 0.95 * x.Quality * y.Quality,
                    $"{correlated}: a scatter shows each of the {manyEntities.Distinct} {Plural(manyEntities.Column.Name)} as a point, too many for bars", config);
            else
                yield return new ChartSuggestion(ChartTypes.Scatter, belowEntityBars * Confidence(r) * x.Quality * y.Quality,
                    $"{correlated}: a scatter shows how they move together", config);
        }
    }

    /// <summary>Scatter confidence from the strength of the linear relationship: 0.3 for none, 0.9 for a perfect one.</summary>
    public static double Confidence(double pearsonR) => 0.3 + 0.6 * Math.Min(1, Math.Abs(pearsonR));

    static ChartSuggestion Histogram(Profile m) =>
        new(ChartTypes.Histogram, 0.55 * m.Quality,
            $"distribution of {m.Column.Name} over {m.NonNull} values: a histogram shows its shape, spread and outliers",
            new ChartRequestConfig { XColumn = m.Column.Name });

    /// <summary>Dedupes by type and columns, then picks the best while discounting types already picked, so the list covers several types.</summary>
    static List<ChartSuggestion> Select(List<ChartSuggestion> candidates)
    {
        var unique = candidates
            .Where(c => c.Confidence > 0)
            .GroupBy(c => $"{c.ChartType}|{c.Config.XColumn}|{string.Join(",", c.Config.YColumn ?? [])}|{c.Config.GroupColumn}|{c.Config.Aggregation}")
            .Select(g => g.OrderByDescending(c => c.Confidence).First())
            .Select(c => c with { Confidence = Math.Round(Math.Clamp(c.Confidence, 0, 1), 2) })
            .ToList();
        var picked = new List<ChartSuggestion>();
        while (picked.Count < MaxSuggestions && unique.Count > 0)
        {
            var best = unique.MaxBy(c => c.Confidence * Math.Pow(0.75, picked.Count(p => p.ChartType == c.ChartType)))!;
            picked.Add(best);
            unique.Remove(best);
        }
        return picked.OrderByDescending(c => c.Confidence).ToList(); // stable: ties keep the diversity order
    }

    // ---------------------------------------------------------------- column roles

    enum Role { Skip, Time, Measure, Category }

    sealed record Profile(DataColumn Column, int Index, Role Role, int NonNull, int Distinct, double Quality, int LongestLabel)
    {
        public static Profile Of(DataColumn column, int rows, int index)
        {
            var nonNull = rows - column.NullCount;
            var missing = rows == 0 ? 1 : 1 - (double)nonNull / rows;
            // Columns with missing cells rank lower: a chart of a half-empty column says less than it seems.
            var quality = Math.Max(0, 1 - 0.6 * missing);
            // Counted once per column (the upload's column descriptions use the same counts).
            var distinct = column.DistinctCount;
            var longest = column.Type switch
            {
                ColumnTypes.Datetime => 10,
                ColumnTypes.Boolean => 5,
                _ => column.Summary.Longest,
            };
            return new Profile(column, index, RoleOf(column, nonNull, distinct), nonNull, distinct, quality, longest);
        }

        static Role RoleOf(DataColumn column, int nonNull, int distinct)
        {
            if (nonNull < 2 || distinct < 2) return Role.Skip;
            switch (column.Type)
            {
                case ColumnTypes.Id:
                    return Role.Skip;
                case ColumnTypes.Text:
                    return IsEntityName(column, nonNull, distinct) ? Role.Category : Role.Skip;
                case ColumnTypes.Datetime:
                    return distinct >= 3 ? Role.Time : Role.Category;
                case ColumnTypes.Boolean:
                    return Role.Category;
                case ColumnTypes.Categorical:
                    // Inference already typed unique identifiers as id; a repeated code ("country code") groups rows well.
                    return distinct <= MaxCategories || (distinct <= MaxTopNCategories && nonNull >= 2 * distinct)
                           || IsEntityName(column, nonNull, distinct) ? Role.Category : Role.Skip;
                case ColumnTypes.Numeric:
                    var numbers = column.Numbers!.NonNull().ToList();
                    var integers = numbers.All(v => v == Math.Floor(v));
                    if (ColumnNameHints.SaysIdentifier(column.Name)) return Role.Skip;
                    if (integers && ColumnNameHints.SaysYear(column.Name) && numbers.All(v => v is >= 1000 and <= 2200))
                        return distinct >= 3 ? Role.Time : Role.Category;
                    if (integers && distinct == nonNull && IsRowNumber(numbers)) return Role.Skip;
                    // A few integer codes repeated over many rows (1/2 for sex, compass sectors, age groups 0–90)
                    // group rows rather than measure them; costs or counts with few distinct values stay measures.
                    if (integers && distinct <= 0.05 * nonNull && (distinct <= 12 || (distinct <= 20 && numbers.All(v => v is >= 0 and <= 200))))
                        return Role.Category;
                    return Role.Measure;
                default:
                    return Role.Skip;
            }
        }

        /// <summary>
        /// One short name per row (nine people, twelve monarchs): inference types them as text, but with measures
        /// beside them each row is an entity, and a bar per entity is the chart a person draws. Sentences (more
        /// than <see cref="EntityNameWords"/> words or <see cref="EntityNameLength"/> characters) stay free text.
        /// </summary>
        static bool IsEntityName(DataColumn column, int nonNull, int distinct) =>
            distinct == nonNull && distinct <= MaxEntityBars && LooksLikeNames(column);

        /// <summary>1, 2, 3… or 0, 1, 2…: a row number, however it is named.</summary>
        static bool IsRowNumber(List<double> numbers)
        {
            var sorted = numbers.Order().ToList();
            for (var i = 1; i < sorted.Count; i++)
                if (sorted[i] - sorted[i - 1] != 1) return false;
            return true;
        }
    }

    /// <summary>The second and third measure of a rule rank a little lower than the first, so one rule does not fill the list.</summary>
    static double RankDecay(int rank) => 1 - 0.05 * rank;

    /// <summary>3 to 12 categories compare best; 2 is thin, and beyond 30 the bars need a top-N cut.</summary>
    static double CardinalityFit(int k) => k switch
    {
        <= 1 => 0,
        2 => 0.8,
        <= 12 => 1,
        <= 30 => 0.9,
        <= MaxCategories => 0.75,
        _ => 0.6, // only the top N show: fine, but a coarser grouping, when there is one, reads better
    };

    /// <summary>Non-negative and additive: its values sum to a meaningful whole.</summary>
    static bool PartOfWhole(Profile m) =>
        !Aggregations.IsIntensive(m.Column) && m.Column.Numbers!.All(v => v is null or >= 0);

    /// <summary>
    /// Measures of one unit whose ranges overlap and whose largest values are within 20× of each other, so one
    /// y axis serves them all (deaths by cause: yes; a price and its daily return: no).
    /// </summary>
    static List<Profile> ComparableMeasures(List<Profile> measures)
    {
        if (measures.Count < 2) return [];
        var ranges = measures.Select(m =>
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (var v in m.Column.Numbers!.Span)
                {
                    if (double.IsNaN(v)) continue;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
                return (m, Min: min, Max: max, Peak: Math.Max(Math.Abs(min), Math.Abs(max)));
            })
            .Where(t => t.Peak > 0 && !double.IsInfinity(t.Peak)).ToList();
        var best = new List<Profile>();
        foreach (var anchor in ranges)
        {
            var group = ranges.Where(t => t.m.Column.Unit == anchor.m.Column.Unit && t.Peak <= anchor.Peak && t.Peak * 20 >= anchor.Peak
                                          && t.Min <= anchor.Max && t.Max >= anchor.Min)
                .OrderBy(t => t.m.Index).Select(t => t.m).Take(5).ToList();
            if (group.Count > best.Count) best = group;
        }
        return best;
    }

    static string Describe(Profile m, string aggregation) =>
        aggregation == Aggregations.Mean ? $"average {m.Column.Name}" : m.Column.Name;

    static string JoinNames(List<string> names) =>
        names.Count <= 2 ? string.Join(" and ", names) : string.Join(", ", names[..^1]) + " and " + names[^1];

    /// <summary>English plural of a header, good enough for a sentence: region → regions, country → countries.</summary>
    static string Plural(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith('s') || lower.EndsWith("ia", StringComparison.Ordinal) || lower.EndsWith("data", StringComparison.Ordinal)) return name;
        if (lower.EndsWith('x') || lower.EndsWith('z') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal)) return name + "es";
        if (lower.Length > 1 && lower.EndsWith('y') && !"aeiou".Contains(lower[^2])) return name[..^1] + "ies";
        return char.IsLetter(name[^1]) ? name + "s" : name + " values";
    }
}
