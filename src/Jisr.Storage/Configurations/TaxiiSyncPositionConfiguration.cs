using Jisr.Storage.Exchange;

namespace Jisr.Storage.Configurations;

internal sealed class TaxiiSyncPositionConfiguration : IEntityTypeConfiguration<TaxiiSyncPosition>
{
    public void Configure(EntityTypeBuilder<TaxiiSyncPosition> builder)
    {
        builder.ToTable("TaxiiSyncPositions");
        builder.HasKey(p => new { p.AgencyId, p.Source, p.Collection });
        builder.Property(p => p.Source).HasMaxLength(TaxiiSyncPosition.MaxSourceLength);
        builder.Property(p => p.Collection).HasMaxLength(300);
        builder.Property(p => p.AddedAfter).HasMaxLength(40);
        builder.Property(p => p.LatestAdded).HasMaxLength(40);
        builder.Property(p => p.Next).HasMaxLength(2000);
    }
}
