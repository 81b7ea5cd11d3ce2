namespace Api.Services;

public class UserService
{
    public int Count() => 0;

    public string Export() => "csv";

    public void Audit(string who) => Console.WriteLine(who);
}
