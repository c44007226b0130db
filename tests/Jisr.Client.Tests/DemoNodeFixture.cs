using Jisr.Domain.Users;
using Jisr.Storage.Seeding;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Client.Tests;

/// <summary>A running node over a fresh SQLite database with the demo data set, and an analyst's API token.</summary>
public sealed class DemoNodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    /// <summary>Amina, an analyst of the demo's MA-DGSN.</summary>
    public DemoAccount Analyst { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        await using var scope = Node.App.Services.CreateAsyncScope();
        var accounts = await ActivatorUtilities.CreateInstance<DemoLoader>(scope.ServiceProvider).LoadAsync();
        Analyst = accounts.First(a => a.Role == Role.Analyst && a.AgencyCode == "MA-DGSN");
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
