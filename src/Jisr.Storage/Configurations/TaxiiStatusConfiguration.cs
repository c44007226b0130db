using Jisr.Storage.Exchange;

namespace Jisr.Storage.Configurations;

internal sealed class TaxiiStatusConfiguration : IEntityTypeConfiguration<TaxiiStatus>
{
    public void Configure(EntityTypeBuilder<TaxiiStatus> builder)
    {
        builder.ToTable("TaxiiStatuses");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasIndex(s => s.CreatedAt); // statuses past their time go in one range delete
    }
}
