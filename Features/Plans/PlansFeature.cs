namespace ChartCraft.Features.Plans;

public static class PlansFeature
{
    public static IServiceCollection AddPlansFeature(this IServiceCollection services, IConfiguration config)
    {
        // Read at registration, so a bad Plans:* value stops the start with the variable named.
        services.AddSingleton(PlanSettings.Load(config));
        services.AddSingleton<DailyCounters>();
        services.AddSingleton<PlanEnforcement>();
        return services;
    }
}
