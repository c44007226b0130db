using Jisr.Storage.Accounts;
using Jisr.Storage.Audit;
using Jisr.Storage.Records;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jisr.Storage;

public static class StorageServices
{
    /// <summary>Everything a node or a CLI command needs to use the database: the context, accounts (Identity), the audit log and the stores.</summary>
    public static IServiceCollection AddJisrStorage(this IServiceCollection services, DatabaseLocation location)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(location);
        services.AddJisrDatabase(location);
        services.AddSingleton(sp => new AuditLog(JisrDatabase.PooledFactory(location), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<RecordStore>();
        services.AddScoped<EntityStore>();
        services.AddScoped<LinkGraph>();
        services.AddScoped<ReviewQueue>();
        services.AddScoped<SubjectAccessStore>();
        services.AddSingleton<EntityCache>();
        services.AddSingleton<PersonNames>();
        services.AddScoped<RetentionPurge>();
        services.AddScoped<AccountService>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<Sharing.AgreementStore>();
        services.AddScoped<Sharing.ReleaseStore>();
        services.AddScoped<Notices.NoticeStore>();
        services.AddScoped<Exchange.StixObjectStore>();
        services.AddDataProtection().SetApplicationName("jisr").PersistKeysToDbContext<JisrDbContext>();
        services.AddIdentityCore<JisrUser>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789-._@";
            })
            .AddUserStore<JisrUserStore>();
        return services;
    }
}
