export namespace app {
	
	export interface InvokeRequest {
	    method: string;
	    path: string;
	    body: string;
	    token: string;
	}
	export interface InvokeResponse {
	    status: number;
	    body: string;
	}

}

