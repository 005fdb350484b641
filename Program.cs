using JasperFx;
using ChartCraft.Infrastructure;
using ChartCraft.Infrastructure.Configuration;

var builder = WebApplication.CreateBuilder(args);

try
{
    // Features read their own settings while registering, so their errors land here too.
    builder.AddChartCraft(ChartCraftSettings.Load(builder.Configuration));
}
catch (InvalidConfigurationException ex)
{
    // One line naming the variable; no stack trace for an operator's typo.
    Console.Error.WriteLine($"ChartCraft cannot start: {ex.Message}");
    return 1;
}

var app = builder.Build();
app.UseChartCraft();
if (args.Length == 0 && await SchemaMigrations.RefuseToStartIfBehindAsync(app.Services, Console.Error)) return 1;
// With no arguments this runs the API; `migrate`, `db-patch`, `db-assert` and the other JasperFx commands
// (`dotnet ChartCraft.dll help`) work on the database with the app's own configuration.
return await app.RunJasperFxCommands(args);

/// <summary>Entry point type, visible to the Alba test host.</summary>
public partial class Program;
