namespace Jisr.Storage.Configurations;

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<SharingAgreement>
{
    public void Configure(EntityTypeBuilder<SharingAgreement> builder)
    {
        builder.ToTable("SharingAgreements");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(a => a.ProposerAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agency>().WithMany().HasForeignKey(a => a.PartnerAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.ThreatDomains).StoredAsThreatDomainNames();
        builder.Property(a => a.HandlingCodes)
            .HasField("_handlingCodes")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(
                v => string.Join(',', v.Select(h => Marking.HandlingNames[h])),
                s => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => Marking.HandlingNames.Parse(n, "handlingCodes")).ToArray(),
                JsonConversions.ListComparer<HandlingCode>());
        builder.Property(a => a.StatusReason).HasMaxLength(1000);
        builder.HasIndex(a => a.ProposerAgencyId);
        builder.HasIndex(a => a.PartnerAgencyId);
    }
}
