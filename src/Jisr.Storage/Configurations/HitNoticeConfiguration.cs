using Jisr.Storage.HitCheck;

namespace Jisr.Storage.Configurations;

internal sealed class HitNoticeConfiguration : IEntityTypeConfiguration<HitNotice>
{
    public void Configure(EntityTypeBuilder<HitNotice> builder)
    {
        builder.ToTable("HitNotices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.HasIndex(n => new { n.OwnerAgencyId, n.ReceivedAt });
        builder.HasIndex(n => new { n.AgreementId, n.RequesterAgencyId, n.OwnerAgencyId, n.ReceivedAt });
        builder.Property(n => n.Hits).HasDefaultValue(1);
    }
}
