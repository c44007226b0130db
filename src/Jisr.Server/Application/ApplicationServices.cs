namespace Jisr.Server.Application;

public static class ApplicationServices
{
    /// <summary>The services endpoints (and the web interface) call: each decides through the policy, changes through the domain and saves through a store.</summary>
    public static IServiceCollection AddJisrApplication(this IServiceCollection services)
    {
        services.AddScoped<AgencyNames>();
        services.AddScoped<RecordService>();
        services.AddScoped<DeclassificationService>();
        services.AddScoped<ReviewService>();
        services.AddScoped<AccountAdministration>();
        services.AddScoped<OwnAccountService>();
        services.AddScoped<AuditTrailService>();
        services.AddScoped<EntityService>();
        services.AddScoped<PersonMatchService>();
        services.AddScoped<Fusion.FusionService>();
        services.AddScoped<Fusion.GraphService>();
        services.AddSingleton<Fusion.XrefJobs>();
        services.AddSingleton<Fusion.GraphCache>();
        services.AddSingleton<Jisr.Storage.Fusion.LinkAdjacency>();
        services.AddScoped<SubjectAccessService>();
        services.AddScoped<AgreementService>();
        services.AddScoped<ReleaseService>();
        services.AddScoped<ConsentService>();
        services.AddScoped<NoticeService>();
        services.AddScoped<StixExchangeService>();
        services.AddScoped<Taxii.TaxiiService>();
        services.AddSingleton<Taxii.TaxiiFeedCache>();
        return services;
    }
}
