using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Server.Application.Fusion;
using Jisr.Storage.Fusion;

namespace Jisr.Server.Tests;

/// <summary>
/// The persons a cross-reference scores come in one order, their ids' text compared ordinally (resolution reads them
/// in it, and the hits are made in it): sorting on the ids' bits must give exactly that order, for ids whose every
/// part has its high bit set or clear.
/// </summary>
public sealed class FusionWorldOrderTests
{
    [Fact]
    public void Scored_persons_are_in_the_ordinal_order_of_their_ids_text()
    {
        var random = new Random(17);
        var agency = new AgencyId(Guid.NewGuid());
        var rows = Enumerable.Range(0, 3_000).Select(i =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            if (i % 3 == 0)
            {
                Array.Fill(bytes, (byte)(i % 2 == 0 ? 0xFF : 0x00), 0, random.Next(1, 16)); // long common prefixes
            }

            return new PersonRow(new EntityId(new Guid(bytes)), agency, $"person {i}", [$"Name {i}"], null, [], [], Gender.Unknown);
        }).DistinctBy(r => r.Id).ToList();

        var world = FusionWorld.Scored(new FusionPersonRows(rows, new HashSet<EntityId>()), [], []);

        Assert.Equal(rows.Select(r => r.Id.ToString()).Order(StringComparer.Ordinal), world.Records.Select(r => r.Id));
        Assert.All(rows, r => Assert.Equal(r.Label, world.Labels[r.Id.ToString()]));
    }
}
