Re: [PATCH net-next v4 0/3] Add support for sockmap to vsock.
Hello:

This series was applied to netdev/net-next.git (main)
by David S. Miller <davem@davemloft.net>:

On Mon, 27 Mar 2023 19:11:50 +0000 you wrote:
> We're testing usage of vsock as a way to redirect guest-local UDS
> requests to the host and this patch series greatly improves the
> performance of such a setup.
> 
> Compared to copying packets via userspace, this improves throughput by
> 121% in basic testing.
> 
> [...]

Here is the summary with links:
  - [net-next,v4,1/3] vsock: support sockmap
    https://git.kernel.org/netdev/net-next/c/634f1a7110b4
  - [net-next,v4,2/3] selftests/bpf: add vsock to vmtest.sh
    https://git.kernel.org/netdev/net-next/c/c7c605c982d6
  - [net-next,v4,3/3] selftests/bpf: add a test case for vsock sockmap
    https://git.kernel.org/netdev/net-next/c/d61bd8c1fd02

You are awesome, thank you!
-- 
Deet-doot-dot, I am a bot.
https://korg.docs.kernel.org/patchwork/pwbot.html


