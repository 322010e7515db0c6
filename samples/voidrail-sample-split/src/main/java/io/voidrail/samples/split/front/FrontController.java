package io.voidrail.samples.split.front;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class FrontController {

    private final EchoClient echo;

    public FrontController(EchoClient echo) {
        this.echo = echo;
    }

    @GetMapping("/echo")
    public Map<String, String> echo(@RequestParam(defaultValue = "hello") String message) {
        return Map.of("echo", this.echo.echo(message), "servedBy", this.echo.whoami());
    }

    @GetMapping("/add")
    public Map<String, Integer> add(@RequestParam int a, @RequestParam int b) {
        return Map.of("sum", this.echo.add(a, b));
    }

}
