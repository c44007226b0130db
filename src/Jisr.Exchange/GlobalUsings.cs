// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Domain.Common;
global using Jisr.Domain.Entities;
global using Jisr.Domain.Exchange;
global using Jisr.Domain.Markings;
global using Jisr.Domain.Records;
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using System.Text.RegularExpressions;
