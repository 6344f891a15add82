Console.WriteLine("sharpsand");
