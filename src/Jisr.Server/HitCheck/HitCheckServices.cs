namespace Jisr.Server.HitCheck;

public static class HitCheckServices
{
    /// <summary>Hit/no-hit: keys, the received-filter cache, publishing (and its loop), reception and checks.</summary>
    public static IServiceCollection AddHitCheck(this IServiceCollection services, HitFilterOptions? options)
    {
        services.AddSingleton(options ?? new HitFilterOptions());
        services.AddSingleton<HitKeyRing>();
        services.AddSingleton<ReceivedFilterCache>();
        services.AddSingleton<HitFilterPublishGate>();
        services.AddSingleton<HitFilterBuilds>();
        services.AddScoped<HitFilterPublisher>();
        services.AddScoped<HitFilterReception>();
        services.AddScoped<HitCheckService>();
        services.AddHostedService<HitFilterRefresh>();
        services.AddSingleton<HitRequestOptions>();
        services.AddScoped<HitRequestService>();
        services.AddScoped<HitRequestReception>();
        services.AddHostedService<HitRequestUpkeep>();
        return services;
    }
}
