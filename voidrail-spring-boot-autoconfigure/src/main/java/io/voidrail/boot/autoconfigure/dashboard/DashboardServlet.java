package io.voidrail.boot.autoconfigure.dashboard;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.voidrail.dashboard.Dashboard;
import io.voidrail.dashboard.DashboardResponse;

/** The dashboard as a plain servlet mapped at {@code <path>/*}: no Spring MVC needed, every filter applies. */
final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Dashboard dashboard;

    DashboardServlet(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String subPath = (request.getPathInfo() != null) ? request.getPathInfo() : "";
        DashboardResponse answer = this.dashboard.respond(request.getMethod(), subPath, request.getRequestURI());
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        response.setContentLength(answer.body().length);
        if (!request.getMethod().equals("HEAD") && answer.body().length > 0) {
            response.getOutputStream().write(answer.body());
        }
    }

}
