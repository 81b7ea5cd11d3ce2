namespace Api.Services;

public class UserService
{
    public int Count() => 0;

    public string Export() => "csv";
}
