// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Domain.Common;
global using Jisr.Domain.Markings;
global using Jisr.Domain.Records;
global using System.Collections.Frozen;
global using System.Text;
global using System.Text.Json.Serialization;
