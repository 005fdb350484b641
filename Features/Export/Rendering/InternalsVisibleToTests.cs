using System.Runtime.CompilerServices;

// The renderer tests reach the page-level seam (WithPlotlyPageAsync) to simulate a hung render.
[assembly: InternalsVisibleTo("ChartCraft.Tests")]
