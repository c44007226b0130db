using Jisr.Domain.Agencies;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>One running node shared by a test class: two agencies, an analyst in each, and an administrator.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public Agency Police { get; private set; } = null!;

    public Agency Intelligence { get; private set; } = null!;

    public TestUser PoliceAnalyst { get; private set; } = null!;

    public TestUser PoliceAdmin { get; private set; } = null!;

    public TestUser IntelligenceAnalyst { get; private set; } = null!;

    public TestUser PoliceRestrictedAnalyst { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        Police = await Node.AddAgencyAsync("MA-POL");
        Intelligence = await Node.AddAgencyAsync("MA-INT");
        PoliceAnalyst = await Node.AddUserAsync(Police, "analyst.pol", [Role.Analyst]);
        PoliceAdmin = await Node.AddUserAsync(Police, "admin.pol", [Role.Administrator], password: "correct horse battery staple");
        IntelligenceAnalyst = await Node.AddUserAsync(Intelligence, "analyst.int", [Role.Analyst]);
        PoliceRestrictedAnalyst = await Node.AddUserAsync(Police, "junior.pol", [Role.Analyst], Classification.Restricted);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
