using ChartCraft.Features.Charts.Insights;
using JasperFx.Events.Projections;
using Marten;

namespace ChartCraft.Features.Charts;

public static class ChartsFeature
{
    public static IServiceCollection AddChartsFeature(this IServiceCollection services)
    {
        services.AddChartInsights();
        services.AddSingleton<ChartDrafting>();
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<ChartProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<Chart>().Index(x => x.UserId).Index(x => x.DataSourceId);
            // Registered, not discovered on first use: production's schema comes only from deploy/migrations.
            opts.Schema.For<ChartViews>();
        });
        return services;
    }
}
