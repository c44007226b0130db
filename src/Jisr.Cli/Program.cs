Console.WriteLine("jisr");
