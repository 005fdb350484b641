using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Configuration;
using JasperFx.Events.Projections;

namespace ChartCraft.Features.Charts;

public static class ChartsFeature
{
    public static IServiceCollection AddChartsFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddChartInsights();
        MeterAiInsights(services);
        services.AddSingleton<ChartReads>();
        services.AddSingleton(ChartViewSettings.Load(config));
        services.AddSingleton<ChartDailyViews>();
        services.AddSingleton<ChartViewFlush>();
        services.AddHostedService(sp => sp.GetRequiredService<ChartViewFlush>());
        // Every committed change of a chart, whoever makes it (an endpoint, a message handler), retires cached copies.
        services.ConfigureMarten((sp, opts) => opts.Listeners.Add(new ChartChangeListener(sp.GetRequiredService<ChartReads>)));
        services.AddSingleton<ChartDrafting>();
        services.AddSingleton<ChartCreation>();
        services.AddSingleton<ThumbnailLinks>();
        services.AddSingleton<ChartFigures>();
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<ChartProjection>(ProjectionLifecycle.Inline);
            // The events other features append to a chart's stream (ChartEvents.cs); the projection does not apply them.
            opts.Events.AddEventType<ChartExported>();
            opts.Events.AddEventType<ChartPublished>();
            opts.Schema.For<Chart>().Index(x => x.UserId).Index(x => x.DataSourceId);
            // Registered, not discovered on first use: production's schema comes only from deploy/migrations.
            opts.Schema.For<ChartViews>();
            opts.Schema.For<ChartDayViews>().Index(x => x.ChartId).Index(x => x.UserId);
            // Reads of the chart streams by event type (a chart's exports and publishes, an account's activity).
            opts.Events.EnableEventTypeIndex = true;
        });
        return services;
    }

    /// <summary>With OpenAI on, the insights a user asks for count against the plan (<see cref="MeteredInsightGenerator"/>).</summary>
    static void MeterAiInsights(IServiceCollection services)
    {
        var engine = services.Single(d => d.ServiceType == typeof(IInsightGenerator));
        services.Remove(engine);
        services.AddHttpContextAccessor();
        services.AddSingleton<IInsightGenerator>(sp =>
        {
            var inner = (IInsightGenerator)engine.ImplementationFactory!(sp);
            return sp.GetRequiredService<OpenAiSettings>().Enabled
                ? new MeteredInsightGenerator(inner, sp.GetRequiredService<PlanEnforcement>(),
                    sp.GetRequiredService<IHttpContextAccessor>())
                : inner;
        });
    }
}
