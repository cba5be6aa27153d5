from ingestion.bench import measure


def test_measure_reports_rates():
    result = measure(n_pages=3, n_images=2)
    assert result["pdf_pages_per_s"] > 0
    assert result["images_per_s"] > 0
