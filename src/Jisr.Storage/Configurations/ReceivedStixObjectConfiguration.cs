using Jisr.Domain.Exchange;

namespace Jisr.Storage.Configurations;

internal sealed class ReceivedStixObjectConfiguration : IEntityTypeConfiguration<ReceivedStixObject>
{
    public void Configure(EntityTypeBuilder<ReceivedStixObject> builder)
    {
        builder.ToTable("StixObjects");
        builder.HasKey(o => o.Sequence); // insertion order: a re-export gives objects back in the order they came
        builder.Property(o => o.Sequence).ValueGeneratedOnAdd();
        builder.Property(o => o.StixId).HasMaxLength(ReceivedStixObject.MaxIdLength);
        builder.Property(o => o.Type).HasMaxLength(250);
        builder.Property(o => o.Modified).HasMaxLength(40);
        builder.Property(o => o.CreatedByRef).HasMaxLength(ReceivedStixObject.MaxIdLength);
        builder.Property(o => o.Source).HasMaxLength(300);
        builder.HasOne<Agency>().WithMany().HasForeignKey(o => o.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.AgencyId, o.StixId });
        // What a record or an entity came as goes with it when it is deleted or purged (retention reaches the raw JSON too).
        builder.HasOne<Domain.Records.Record>().WithMany().HasForeignKey(o => o.RecordId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Domain.Entities.Entity>().WithMany().HasForeignKey(o => o.EntityId).OnDelete(DeleteBehavior.Cascade);
    }
}
