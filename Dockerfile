FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
# Static files are baked into the image so every web process serves the same manifest.
RUN SECRET_KEY=collectstatic-only DEBUG=0 STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input
RUN useradd --create-home app && mkdir -p /app/var /data/media && chown -R app /app/var /data/media
USER app
ENV DJANGO_SETTINGS_MODULE=integration.settings
EXPOSE 8000
