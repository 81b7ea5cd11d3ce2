namespace Api.Services;

public class UserService
{
    public int Count() => 0;
}
